namespace PadKernel.Text;

/// <summary>Maps text to token ids and token ids back to bytes.</summary>
/// <remarks>
/// <see cref="Encode"/> always treats its input as plain text: a string such as <c>&lt;/s&gt;</c> or
/// <c>&lt;|im_end|&gt;</c> in user or preference text is split into ordinary pieces and never becomes a control
/// token. Control tokens enter a prompt only through <see cref="TryGetSpecialTokenId"/>, which chat templates use.
/// Implementations are immutable and thread-safe.
/// </remarks>
public interface ITokenizer
{
    /// <summary>Gets the number of token ids the tokenizer knows.</summary>
    int VocabularySize { get; }

    /// <summary>Encodes plain text, without BOS, and appends the ids to <paramref name="destination"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="destination">The list the ids are appended to.</param>
    /// <param name="atStartOfText">
    /// Whether the text starts the sequence (SentencePiece-style tokenizers prepend their dummy-prefix space only then).
    /// </param>
    void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true);

    /// <summary>
    /// Encodes plain text like <see cref="Encode"/>, stopping with an
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled; on cancellation
    /// nothing is appended. Tokenizers that cannot stop midway check the token only before they start.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="destination">The list the ids are appended to.</param>
    /// <param name="atStartOfText">Whether the text starts the sequence.</param>
    /// <param name="cancellationToken">Stops a long encoding (for example a huge prompt whose client went away).</param>
    void EncodeCancellable(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Encode(text, destination, atStartOfText);
    }

    /// <summary>
    /// Gets the most UTF-8 bytes of input text one token produced by <see cref="Encode"/>
    /// can stand for, or 0 when the tokenizer cannot bound it (normalizers that shrink text, for example). A text of
    /// <c>n</c> UTF-8 bytes then encodes to at least <c>ceil(n / MaxBytesPerToken)</c> tokens, which lets a caller
    /// reject an oversized prompt without tokenizing it (see <see cref="TokenizerExtensions.MinimumTokenCount"/>).
    /// </summary>
    int MaxBytesPerToken => 0;

    /// <summary>Looks up the id of a control token such as <c>&lt;|im_start|&gt;</c> or <c>[INST]</c>.</summary>
    bool TryGetSpecialTokenId(string token, out int id);

    /// <summary>
    /// Gets the UTF-8 bytes token <paramref name="tokenId"/> contributes to the text when it follows
    /// <paramref name="previousTokenId"/> (-1 when it is the first token of the text). Control tokens contribute nothing.
    /// The bytes may be part of a multi-byte character that the next token completes.
    /// </summary>
    ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId);
}
