namespace PadKernel.Evaluation.Statistics;

/// <summary>Percentile bootstrap of a mean: resample the values with replacement, take the mean, read the quantiles.</summary>
public static class Bootstrap
{
    /// <summary>The resamples used by default.</summary>
    public const int DefaultResamples = 10_000;

    /// <summary>Computes the mean of <paramref name="values"/> and its percentile-bootstrap interval.</summary>
    /// <param name="values">The values (per-unit paired differences, for example); at least one.</param>
    /// <param name="level">The confidence level, for example 0.95.</param>
    /// <param name="resamples">The number of bootstrap resamples.</param>
    /// <param name="seed">The seed of the resampling, so a report is reproducible.</param>
    public static ConfidenceInterval MeanInterval(IReadOnlyList<double> values, double level = 0.95, int resamples = DefaultResamples, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A bootstrap needs at least one value.", nameof(values));
        }

        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        int n = values.Count;
        double mean = values.Average();
        var means = new double[resamples];
        var random = new Random(seed);
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += values[random.Next(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        double tail = (1 - level) / 2;
        return new ConfidenceInterval(mean, Quantile(means, tail), Quantile(means, 1 - tail), n);
    }

    // Linear interpolation between order statistics (type 7, as numpy and R default to).
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
