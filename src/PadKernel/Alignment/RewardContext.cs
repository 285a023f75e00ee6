using PadKernel.Models;

namespace PadKernel.Alignment;

/// <summary>One reward term of PAD's score: a model, the context it reads, and the weight of its reward.</summary>
/// <param name="Model">The reward model (the base model itself for self-contrast).</param>
/// <param name="Context">The reward context's token ids, BOS included.</param>
/// <param name="Weight">The weight w_i of this reward.</param>
/// <param name="Label">A name for traces, usually the preference text.</param>
public sealed record RewardContext(ILanguageModel Model, IReadOnlyList<int> Context, float Weight, string Label)
{
    /// <summary>
    /// Gets the context, on the base model, whose logits are this reward's reference (r = logsoftmax_K(l_r) −
    /// logsoftmax_K(l_reference)); null (the default) uses the base context's row. <see cref="RewardReference.PerPreference"/>
    /// sets it to the base model reading this preference alone. A reference equal to the base context runs no extra row.
    /// </summary>
    public IReadOnlyList<int>? ReferenceContext { get; init; }
}
