namespace PadKernel.Evaluation.Judges;

/// <summary>Scores how well a generated continuation follows a preference.</summary>
/// <remarks>Judges see the continuation only, never the prompt as part of the scored text, so a preference stated in a prompt cannot score itself.</remarks>
public interface IJudge
{
    /// <summary>Gets a short name for reports (for example <c>lexicon(dog)</c>).</summary>
    string Name { get; }

    /// <summary>Scores one continuation.</summary>
    /// <param name="input">The continuation and what it was generated for.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>A score in [0, 1] (1 = follows the preference fully) with the raw measurements behind it.</returns>
    ValueTask<JudgeScore> ScoreAsync(JudgeInput input, CancellationToken cancellationToken = default);
}
