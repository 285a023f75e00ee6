using PadKernel.Models;

namespace PadKernel.Alignment;

/// <summary>One reward term of PAD's score: a model, the context it reads, and the weight of its reward.</summary>
/// <param name="Model">The reward model (the base model itself for self-contrast).</param>
/// <param name="Context">The reward context's token ids, BOS included.</param>
/// <param name="Weight">The weight w_i of this reward.</param>
/// <param name="Label">A name for traces, usually the preference text.</param>
public sealed record RewardContext(ILanguageModel Model, IReadOnlyList<int> Context, float Weight, string Label);
