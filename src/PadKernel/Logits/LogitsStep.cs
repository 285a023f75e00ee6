using System.Runtime.InteropServices;
using PadKernel.Models;

namespace PadKernel.Logits;

/// <summary>
/// What the links of the logits pipeline see of one decoding step: its index, the base context's logits, the reward
/// rows, the prompt and the tokens generated so far — never the model's sequences. One instance per request.
/// </summary>
public sealed class LogitsStep
{
    private readonly IModelSequence _base;
    private readonly List<int> _generated;

    internal LogitsStep(IModelSequence baseSequence, IReadOnlyList<int> promptIds, IReadOnlyList<RewardRow> rewards, int expectedTokens)
    {
        _base = baseSequence;
        ModelId = baseSequence.Model.Info.ModelId;
        PromptIds = promptIds;
        Rewards = rewards;
        _generated = new List<int>(expectedTokens);
    }

    /// <summary>Gets the step number, from 0: the number of tokens generated before it.</summary>
    public int Index => _generated.Count;

    /// <summary>Gets the base model's name, for errors.</summary>
    public string ModelId { get; }

    /// <summary>Gets the base context's next-token logits, as the model returned them (one per token id).</summary>
    public ReadOnlySpan<float> BaseLogits => _base.Logits;

    /// <summary>Gets the base context's token ids.</summary>
    public IReadOnlyList<int> PromptIds { get; }

    /// <summary>Gets the tokens generated before this step.</summary>
    public ReadOnlySpan<int> GeneratedIds => CollectionsMarshal.AsSpan(_generated);

    /// <summary>Gets PAD's reward rows, in request order (only those with a non-zero weight); empty for plain decoding.</summary>
    public IReadOnlyList<RewardRow> Rewards { get; }

    internal void Append(int tokenId) => _generated.Add(tokenId);
}
