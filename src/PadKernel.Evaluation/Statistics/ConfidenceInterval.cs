namespace PadKernel.Evaluation.Statistics;

/// <summary>A mean with a percentile-bootstrap confidence interval.</summary>
/// <param name="Mean">The mean of the values.</param>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
/// <param name="Count">How many values the mean covers.</param>
public readonly record struct ConfidenceInterval(double Mean, double Low, double High, int Count)
{
    /// <summary>Gets a value indicating whether the interval lies entirely above 0.</summary>
    public bool AboveZero => Low > 0;

    /// <summary>Gets a value indicating whether the interval lies entirely below 0.</summary>
    public bool BelowZero => High < 0;
}
