using System.Text;

namespace PadKernel.Text;

/// <summary>
/// Turns a stream of token ids into text incrementally, never splitting a UTF-8 character across two chunks:
/// bytes of an incomplete character are held until the token that completes it arrives.
/// </summary>
public sealed class StreamingTextDecoder
{
    private readonly ITokenizer _tokenizer;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];
    private int _previousTokenId;

    /// <summary>Initializes a new instance of the <see cref="StreamingTextDecoder"/> class.</summary>
    /// <param name="tokenizer">The tokenizer whose ids are decoded.</param>
    /// <param name="previousTokenId">The last prompt token (affects leading-space handling), or -1.</param>
    public StreamingTextDecoder(ITokenizer tokenizer, int previousTokenId = -1)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _previousTokenId = previousTokenId;
    }

    /// <summary>Decodes one more token; returns the characters it completes (possibly empty).</summary>
    public ReadOnlySpan<char> Append(int tokenId)
    {
        ReadOnlySpan<byte> bytes = _tokenizer.GetTokenBytes(tokenId, _previousTokenId);
        _previousTokenId = tokenId;
        return Convert(bytes, flush: false);
    }

    /// <summary>Emits what is still held (an incomplete character becomes U+FFFD) and resets the decoder state.</summary>
    public ReadOnlySpan<char> Flush() => Convert([], flush: true);

    private ReadOnlySpan<char> Convert(ReadOnlySpan<byte> bytes, bool flush)
    {
        int needed = _utf8.GetCharCount(bytes, flush);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        int written = _utf8.GetChars(bytes, _chars, flush);
        return _chars.AsSpan(0, written);
    }
}
