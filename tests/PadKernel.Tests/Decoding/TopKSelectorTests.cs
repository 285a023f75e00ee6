using PadKernel.Decoding;

namespace PadKernel.Tests.Decoding;

public sealed class TopKSelectorTests
{
    [Fact]
    public void SelectsLargestFirstAndBreaksTiesByLowerId()
    {
        float[] logits = [1f, 5f, 3f, 5f, 4f, 3f];
        int[] ids = new int[4];

        int count = TopKSelector.Select(logits, ids);

        Assert.Equal(4, count);
        Assert.Equal([1, 3, 4, 2], ids);
    }

    [Fact]
    public void SkipsNaNAndReturnsFewerWhenTheVocabularyIsSmall()
    {
        float[] logits = [float.NaN, 2f, -1f];
        int[] ids = new int[5];

        int count = TopKSelector.Select(logits, ids);

        Assert.Equal(2, count);
        Assert.Equal([1, 2], ids[..count]);
    }

    [Fact]
    public void AgreesWithAFullSortOnRandomLogits()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            float[] logits = Enumerable.Range(0, 300).Select(_ => (float)Math.Round(random.NextDouble() * 10, 1)).ToArray();
            int[] ids = new int[10];
            TopKSelector.Select(logits, ids);
            int[] expected = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).Take(10).ToArray();
            Assert.Equal(expected, ids);
        }
    }
}
