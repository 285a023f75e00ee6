using PadKernel.Decoding;

namespace PadKernel.Tests.Decoding;

public sealed class CandidateSamplerTests
{
    [Fact]
    public void TheSameSeedDrawsTheSameSequence()
    {
        Assert.Equal(Draw(42, 1f, 1f), Draw(42, 1f, 1f));
        Assert.NotEqual(Draw(42, 1f, 1f), Draw(43, 1f, 1f));
    }

    [Fact]
    public void TopPKeepsOnlyTheNucleus()
    {
        // Probabilities ~ [0.64, 0.24, 0.09, 0.03]: top-p 0.7 keeps the first two only.
        int[] draws = Draw(1, 1f, 0.7f);
        Assert.All(draws, d => Assert.True(d is 0 or 1));
        Assert.Contains(1, draws);
    }

    [Fact]
    public void FrequenciesFollowTheSoftmax()
    {
        int[] draws = Draw(3, 1f, 1f, count: 20000);
        double first = draws.Count(d => d == 0) / 20000.0;
        double expected = Math.Exp(3) / (Math.Exp(3) + Math.Exp(2) + Math.Exp(1) + Math.Exp(0));
        Assert.InRange(first, expected - 0.02, expected + 0.02);
    }

    private static int[] Draw(int seed, float temperature, float topP, int count = 200)
    {
        var random = new Random(seed);
        var result = new int[count];
        float[] scores = new float[4];
        float[] keys = new float[4];
        int[] order = new int[4];
        for (int i = 0; i < count; i++)
        {
            scores[0] = 3; scores[1] = 2; scores[2] = 1; scores[3] = 0;
            result[i] = CandidateSampler.Sample(scores, keys, order, temperature, topP, random);
        }

        return result;
    }
}
