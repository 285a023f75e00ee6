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

    /// <summary>Appends many tokens at once (prefill) and computes the logits after the last one.</summary>
    /// <exception cref="ContextLengthExceededException">The sequence would grow past the model's context length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the vocabulary.</exception>
    void Append(ReadOnlySpan<int> tokens);

    /// <summary>Truncates the sequence to its first <paramref name="length"/> tokens; logits must be recomputed by an append.</summary>
    void Rewind(int length);
}
