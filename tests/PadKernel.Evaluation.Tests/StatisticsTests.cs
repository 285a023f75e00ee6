using PadKernel.Evaluation.Statistics;

namespace PadKernel.Evaluation.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void BootstrapIntervalContainsTheMeanAndNarrowsWithMoreData()
    {
        var random = new Random(3);
        double[] small = Enumerable.Range(0, 20).Select(_ => random.NextDouble()).ToArray();
        double[] large = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();

        ConfidenceInterval a = Bootstrap.MeanInterval(small);
        ConfidenceInterval b = Bootstrap.MeanInterval(large);

        Assert.Equal(small.Average(), a.Mean, 12);
        Assert.InRange(a.Mean, a.Low, a.High);
        Assert.InRange(b.Mean, b.Low, b.High);
        Assert.True(b.High - b.Low < (a.High - a.Low) / 4);

        // Uniform(0,1): sd 0.2887, so the 95% half-width of a mean of 2000 is about 1.96 * 0.2887 / sqrt(2000) = 0.0127.
        Assert.InRange((b.High - b.Low) / 2, 0.010, 0.015);
        Assert.Equal(20, a.Count);
    }

    [Fact]
    public void BootstrapIsReproducibleForASeedAndDegenerateForConstantValues()
    {
        double[] values = [0.1, 0.5, 0.2, 0.9, 0.4];
        Assert.Equal(Bootstrap.MeanInterval(values, seed: 7), Bootstrap.MeanInterval(values, seed: 7));

        ConfidenceInterval constant = Bootstrap.MeanInterval([0.25, 0.25, 0.25]);
        Assert.Equal(0.25, constant.Low, 12);
        Assert.Equal(0.25, constant.High, 12);
        Assert.Throws<ArgumentException>(() => Bootstrap.MeanInterval([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanInterval([1.0], level: 1));
    }

    [Fact]
    public void PairedComparisonCountsWinsTiesAndLossesOnSharedUnitsOnly()
    {
        var method = new Dictionary<string, double> { ["a"] = 1, ["b"] = 0.5, ["c"] = 0, ["d"] = 1, ["only-method"] = 1 };
        var control = new Dictionary<string, double> { ["a"] = 0, ["b"] = 0.5, ["c"] = 1, ["d"] = 0, ["only-control"] = 0 };

        PairedComparison result = PairedComparison.Create(method, control)!;

        Assert.Equal(2, result.Wins);
        Assert.Equal(1, result.Ties);
        Assert.Equal(1, result.Losses);
        Assert.Equal(4, result.Difference.Count);
        Assert.Equal((1 + 0 - 1 + 1) / 4.0, result.Difference.Mean, 12);
        Assert.Null(PairedComparison.Create(new Dictionary<string, double> { ["x"] = 1 }, control));
    }

    [Fact]
    public void AClearImprovementHasAnIntervalAboveZero()
    {
        var random = new Random(5);
        var control = Enumerable.Range(0, 60).ToDictionary(i => i, _ => random.NextDouble() * 0.5);
        var method = control.ToDictionary(kv => kv.Key, kv => kv.Value + 0.2 + (random.NextDouble() * 0.1));

        PairedComparison result = PairedComparison.Create(method, control)!;

        Assert.True(result.Difference.AboveZero);
        Assert.Equal(60, result.Wins);
        Assert.InRange(result.Difference.Mean, 0.2, 0.3);
    }
}
