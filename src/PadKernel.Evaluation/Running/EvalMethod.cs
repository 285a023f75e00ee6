using System.Globalization;

namespace PadKernel.Evaluation.Running;

/// <summary>How a continuation is generated in an evaluation.</summary>
public enum EvalMethodKind
{
    /// <summary>Plain decoding of the prompt, no preference anywhere.</summary>
    Base,

    /// <summary>Plain decoding with the preference written into the context (the paper's main baseline; w = 0).</summary>
    Prompting,

    /// <summary>PAD with the base model as its own reward model (preference only in the reward context).</summary>
    PadSelfContrast,

    /// <summary>PAD with a separate personalized reward model.</summary>
    PadRewardModel,

    /// <summary>
    /// Preference prompting sampled from the same top-k candidates and temperature as PAD (the matched control: PAD
    /// only ever picks among the base model's k best tokens). Identical to <see cref="Prompting"/> when greedy.
    /// </summary>
    PromptingTopK,
}

/// <summary>One generation method of the grid: a kind, and for PAD its weight w and candidate count k.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Weight">The PAD weight w (0 for the baselines).</param>
/// <param name="TopK">PAD's candidate count k, or the top-k of matched prompting (0 for the other baselines).</param>
public sealed record EvalMethod(EvalMethodKind Kind, float Weight = 0, int TopK = 0)
{
    /// <summary>Gets a value indicating whether this is a PAD method.</summary>
    public bool IsPad => Kind is EvalMethodKind.PadSelfContrast or EvalMethodKind.PadRewardModel;

    /// <summary>Gets a stable key used in result files, for example <c>pad-sc w=2 k=10</c> or <c>prompting k=10</c>.</summary>
    public string Key => Kind switch
    {
        EvalMethodKind.Base => "base",
        EvalMethodKind.Prompting => "prompting",
        EvalMethodKind.PromptingTopK => string.Create(CultureInfo.InvariantCulture, $"prompting k={TopK}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Family} w={Weight} k={TopK}"),
    };

    /// <summary>Gets the position of the method's kind in reports: base, prompting, matched prompting, then PAD.</summary>
    public int ReportOrder => Kind switch
    {
        EvalMethodKind.Base => 0,
        EvalMethodKind.Prompting => 1,
        EvalMethodKind.PromptingTopK => 2,
        EvalMethodKind.PadSelfContrast => 3,
        _ => 4,
    };

    /// <summary>Gets the key of the method's family: <c>base</c>, <c>prompting</c>, <c>prompting-k</c>, <c>pad-sc</c> or <c>pad-rm</c>.</summary>
    public string Family => Kind switch
    {
        EvalMethodKind.Base => "base",
        EvalMethodKind.Prompting => "prompting",
        EvalMethodKind.PromptingTopK => "prompting-k",
        EvalMethodKind.PadSelfContrast => "pad-sc",
        _ => "pad-rm",
    };

    /// <summary>Gets the series a plot draws this method in: one per family and k.</summary>
    public string Series => IsPad ? string.Create(CultureInfo.InvariantCulture, $"{Family} k={TopK}") : Kind == EvalMethodKind.PromptingTopK ? Key : Family;

    /// <inheritdoc />
    public override string ToString() => Key;
}
