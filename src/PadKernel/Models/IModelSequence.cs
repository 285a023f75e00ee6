namespace PadKernel.Models;

/// <summary>
/// One token sequence being decoded by a model: it owns its KV cache, so appending a token costs one position of
/// work, never a recomputation of the prefix.
/// </summary>
public interface IModelSequence : IDisposable
{
    /// <summary>Gets the model that created this sequence.</summary>
    ILanguageModel Model { get; }

    /// <summary>Gets the number of tokens in the KV cache.</summary>
    int Length { get; }

    /// <summary>Gets a value indicating whether <see cref="Logits"/> holds the logits for the next token.</summary>
    bool HasLogits { get; }

    /// <summary>
    /// Gets the next-token logits after the last appended token (length <see cref="ModelInfo.VocabularySize"/>).
    /// The span is owned by the sequence and overwritten by the next append.
    /// </summary>
    /// <exception cref="InvalidOperationException">No token has been appended since creation or the last rewind.</exception>
    ReadOnlySpan<float> Logits { get; }

    /// <summary>
    /// Copies the next-token logits of <paramref name="ids"/> into <paramref name="destination"/>
    /// (<c>destination[i]</c> = the logit of <c>ids[i]</c>). This is how the decoder reads a sequence created with
    /// <see cref="LogitsAccess.Gathered"/> — PAD's reward contexts, read only on the K candidates — so a runtime can
    /// compute just these rows of its output projection after such a sequence's forward pass. The default reads
    /// <see cref="Logits"/>.
    /// </summary>
    /// <param name="ids">Token ids, each below <see cref="ModelInfo.VocabularySize"/>.</param>
    /// <param name="destination">Receives one logit per id; at least as long as <paramref name="ids"/>.</param>
    /// <exception cref="InvalidOperationException">No token has been appended since creation or the last rewind.</exception>
    void GatherLogits(ReadOnlySpan<int> ids, Span<float> destination)
    {
        if (destination.Length < ids.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {ids.Length} ids were asked for.", nameof(destination));
        }

        ReadOnlySpan<float> logits = Logits;
        for (int i = 0; i < ids.Length; i++)
        {
            destination[i] = logits[ids[i]];
        }
    }

    /// <summary>Appends many tokens at once (prefill) and computes the logits after the last one.</summary>
    /// <exception cref="ContextLengthExceededException">The sequence would grow past the model's context length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the vocabulary.</exception>
    void Append(ReadOnlySpan<int> tokens);

    /// <summary>Truncates the sequence to its first <paramref name="length"/> tokens; logits must be recomputed by an append.</summary>
    void Rewind(int length);
}
