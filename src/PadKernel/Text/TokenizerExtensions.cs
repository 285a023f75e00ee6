using System.Text;

namespace PadKernel.Text;

/// <summary>Convenience methods over <see cref="ITokenizer"/>.</summary>
public static class TokenizerExtensions
{
    /// <summary>Encodes plain text (no BOS) into a new list.</summary>
    public static List<int> Encode(this ITokenizer tokenizer, string text, bool atStartOfText = true)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        tokenizer.Encode(text, ids, atStartOfText);
        return ids;
    }

    /// <summary>
    /// Gets a lower bound on the number of tokens <paramref name="text"/> encodes to, from its UTF-8 length alone and
    /// without tokenizing it (0 when the tokenizer reports no <see cref="ITokenizer.MaxBytesPerToken"/>). A caller
    /// with a token budget can reject a prompt whose bound already exceeds it before spending time on the encoding.
    /// </summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="text">The text.</param>
    public static int MinimumTokenCount(this ITokenizer tokenizer, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        int maxBytes = tokenizer.MaxBytesPerToken;
        if (maxBytes <= 0 || text.IsEmpty)
        {
            return 0;
        }

        // Invalid UTF-16 (a lone surrogate) encodes as the 3-byte replacement character, as Encoding.UTF8 counts it.
        long bytes = Encoding.UTF8.GetByteCount(text);
        return (int)((bytes + maxBytes - 1) / maxBytes);
    }

    /// <summary>Decodes ids to text; invalid UTF-8 becomes U+FFFD.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="ids">The ids.</param>
    /// <param name="previousTokenId">The token before <paramref name="ids"/>, or -1 at the start of the text.</param>
    public static string Decode(this ITokenizer tokenizer, ReadOnlySpan<int> ids, int previousTokenId = -1)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var bytes = new List<byte>(ids.Length * 4);
        int previous = previousTokenId;
        foreach (int id in ids)
        {
            bytes.AddRange(tokenizer.GetTokenBytes(id, previous));
            previous = id;
        }

        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }
}
