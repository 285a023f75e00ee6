using PadKernel.Alignment;
using PadKernel.Models;

namespace PadKernel.Logits;

/// <summary>
/// One reward term of a PAD step as the logits pipeline sees it: its weight and the reward context's logits, read
/// only for the ids asked for (so a runtime may compute just those; see <see cref="LogitsAccess.Gathered"/>).
/// </summary>
public sealed class RewardRow
{
    private readonly IModelSequence _sequence;
    private readonly IModelSequence? _reference;

    internal RewardRow(IModelSequence sequence, RewardContext term, TokenMapping? mapping, IModelSequence? reference)
    {
        _sequence = sequence;
        _reference = reference;
        ModelId = sequence.Model.Info.ModelId;
        Label = term.Label;
        Weight = term.Weight;
        Mapping = mapping;
    }

    /// <summary>Gets the reward model's name, for errors.</summary>
    public string ModelId { get; }

    /// <summary>Gets the reward term's label (usually the preference text).</summary>
    public string Label { get; }

    /// <summary>Gets the weight w_i of this reward (never 0: zero-weight terms are dropped before decoding).</summary>
    public float Weight { get; }

    /// <summary>Gets the map from base ids to the reward model's ids when its tokenizer differs; null when both share one vocabulary.</summary>
    public TokenMapping? Mapping { get; }

    /// <summary>
    /// Gets a value indicating whether this reward has its own reference row on the base model
    /// (<see cref="RewardContext.ReferenceContext"/>); otherwise the base row is its reference.
    /// </summary>
    public bool HasReference => _reference is not null;

    /// <summary>Copies the reward context's next-token logits of <paramref name="ids"/> (the reward model's ids) into <paramref name="destination"/>.</summary>
    public void Gather(ReadOnlySpan<int> ids, Span<float> destination) => _sequence.GatherLogits(ids, destination);

    /// <summary>Copies the reference row's next-token logits of <paramref name="ids"/> (base ids) into <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidOperationException">The reward has no reference row of its own (<see cref="HasReference"/> is false).</exception>
    public void GatherReference(ReadOnlySpan<int> ids, Span<float> destination) =>
        (_reference ?? throw new InvalidOperationException("This reward is measured against the base row; it has no reference row.")).GatherLogits(ids, destination);
}
