namespace PadKernel.Evaluation.Judges;

/// <summary>A judge's verdict.</summary>
/// <param name="Score">Adherence in [0, 1].</param>
/// <param name="Metrics">Raw measurements behind the score (for example <c>rate</c>, <c>presence</c>, <c>grade</c>), reported alongside it.</param>
public sealed record JudgeScore(double Score, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Creates a score with no extra metrics.</summary>
    public JudgeScore(double score)
        : this(score, new Dictionary<string, double>())
    {
    }
}
