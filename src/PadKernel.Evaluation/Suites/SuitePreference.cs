namespace PadKernel.Evaluation.Suites;

/// <summary>A preference of a suite: the text PAD steers toward and the judges that measure adherence to it.</summary>
public sealed class SuitePreference
{
    /// <summary>Gets a short unique id (for example <c>dog</c>), used in result files.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the kind of preference (for example <c>topic</c>, <c>mood</c>, <c>style</c>), for grouping in reports.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Gets the preference text given to the model.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the judges; the preference's adherence is the mean of their scores.</summary>
    public required IReadOnlyList<JudgeSpec> Judges { get; init; }
}
