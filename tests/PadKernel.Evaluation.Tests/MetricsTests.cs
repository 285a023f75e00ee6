using PadKernel.Evaluation.Metrics;

namespace PadKernel.Evaluation.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void RepetitionOfHandWrittenText()
    {
        // Words: the cat sat . the cat sat on the mat -> 9 words, 5 distinct; bigrams: 8, distinct 5 (the cat, cat sat, sat the, sat on, on the, the mat) = 6.
        Repetition r = Repetition.Measure("The cat sat. The cat sat on the mat.");
        Assert.Equal(5.0 / 9.0, r.Distinct1, 10);
        Assert.Equal(6.0 / 8.0, r.Distinct2, 10);
        Assert.Equal(3, r.LongestRepeat); // "the cat sat"
    }

    [Fact]
    public void RepetitionOfTextWithoutRepeats()
    {
        Repetition r = Repetition.Measure("One small frog jumped.");
        Assert.Equal(1, r.Distinct1);
        Assert.Equal(1, r.Distinct2);
        Assert.Equal(0, r.LongestRepeat);
        Assert.Equal(new Repetition(1, 1, 0), Repetition.Measure(""));
    }

    [Fact]
    public void LongestRepeatCountsOverlappingLoops() =>
        Assert.Equal(4, Repetition.LongestRepeatedNGram(["a", "b", "a", "b", "a", "b"]));

    [Fact]
    public void LogSumExpIsStableForLargeLogits()
    {
        float[] logits = [1000f, 1000f];
        Assert.Equal(1000 + Math.Log(2), Perplexity.LogSumExp(logits), 6);
    }
}
