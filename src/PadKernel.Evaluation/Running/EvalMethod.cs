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
}

/// <summary>One generation method of the grid: a kind, and for PAD its weight w and candidate count k.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Weight">The PAD weight w (0 for the baselines).</param>
/// <param name="TopK">PAD's candidate count k (0 for the baselines).</param>
public sealed record EvalMethod(EvalMethodKind Kind, float Weight = 0, int TopK = 0)
{
    /// <summary>Gets a value indicating whether this is a PAD method.</summary>
    public bool IsPad => Kind is EvalMethodKind.PadSelfContrast or EvalMethodKind.PadRewardModel;

    /// <summary>Gets a stable key used in result files, for example <c>pad-sc w=2 k=10</c>.</summary>
    public string Key => Kind switch
    {
        EvalMethodKind.Base => "base",
        EvalMethodKind.Prompting => "prompting",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Family} w={Weight} k={TopK}"),
    };

    /// <summary>Gets the key of the method's family: <c>base</c>, <c>prompting</c>, <c>pad-sc</c> or <c>pad-rm</c>.</summary>
    public string Family => Kind switch
    {
        EvalMethodKind.Base => "base",
        EvalMethodKind.Prompting => "prompting",
        EvalMethodKind.PadSelfContrast => "pad-sc",
        _ => "pad-rm",
    };

    /// <summary>Gets the series a plot draws this method in: one per family and k.</summary>
    public string Series => IsPad ? string.Create(CultureInfo.InvariantCulture, $"{Family} k={TopK}") : Family;

    /// <inheritdoc />
    public override string ToString() => Key;
}
