namespace PadKernel.Evaluation.Statistics;

/// <summary>
/// A method against a control on the same units (prompt × preference): the mean per-unit difference with a bootstrap
/// confidence interval, and how many units the method wins, ties and loses.
/// </summary>
/// <param name="Difference">The mean of (method − control) per unit, with its interval.</param>
/// <param name="Wins">Units where the method scores higher.</param>
/// <param name="Ties">Units where both score the same (within 1e-9).</param>
/// <param name="Losses">Units where the control scores higher.</param>
public sealed record PairedComparison(ConfidenceInterval Difference, int Wins, int Ties, int Losses)
{
    /// <summary>Compares paired scores. Units present on only one side are ignored.</summary>
    /// <typeparam name="TUnit">The unit key, for example (prompt, preference).</typeparam>
    /// <param name="method">The method's score per unit.</param>
    /// <param name="control">The control's score per unit.</param>
    /// <param name="level">The confidence level.</param>
    /// <param name="resamples">The bootstrap resamples.</param>
    /// <param name="seed">The bootstrap seed.</param>
    /// <returns>The comparison, or null when no unit is shared.</returns>
    public static PairedComparison? Create<TUnit>(
        IReadOnlyDictionary<TUnit, double> method, IReadOnlyDictionary<TUnit, double> control, double level = 0.95, int resamples = Bootstrap.DefaultResamples, int seed = 1)
        where TUnit : notnull
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(control);
        var differences = new List<double>();
        foreach ((TUnit unit, double score) in method)
        {
            if (control.TryGetValue(unit, out double other))
            {
                differences.Add(score - other);
            }
        }

        if (differences.Count == 0)
        {
            return null;
        }

        const double Tolerance = 1e-9;
        return new PairedComparison(
            Bootstrap.MeanInterval(differences, level, resamples, seed),
            differences.Count(d => d > Tolerance),
            differences.Count(d => Math.Abs(d) <= Tolerance),
            differences.Count(d => d < -Tolerance));
    }
}
