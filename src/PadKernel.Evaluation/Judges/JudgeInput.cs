namespace PadKernel.Evaluation.Judges;

/// <summary>What a judge scores: a continuation, with the prompt and preference it was generated for as context.</summary>
/// <param name="Prompt">The prompt the model continued (context for graders; not scored).</param>
/// <param name="Preference">The preference text.</param>
/// <param name="Continuation">The generated text, the only text that is scored.</param>
/// <param name="TokenCount">The number of model tokens in <paramref name="Continuation"/>.</param>
public sealed record JudgeInput(string Prompt, string Preference, string Continuation, int TokenCount);
