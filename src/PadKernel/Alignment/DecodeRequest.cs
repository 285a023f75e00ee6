using PadKernel.Decoding;
using PadKernel.Models;

namespace PadKernel.Alignment;

/// <summary>Everything <see cref="PadDecoder"/> needs: the base model and context, the reward terms and the generation options.</summary>
public sealed class DecodeRequest
{
    /// <summary>Gets the base model.</summary>
    public required ILanguageModel Model { get; init; }

    /// <summary>Gets the base context's token ids, BOS included.</summary>
    public required IReadOnlyList<int> Context { get; init; }

    /// <summary>Gets the reward terms; empty for plain decoding.</summary>
    public IReadOnlyList<RewardContext> Rewards { get; init; } = [];

    /// <summary>Gets the generation options.</summary>
    public GenerationOptions Options { get; init; } = new();
}
