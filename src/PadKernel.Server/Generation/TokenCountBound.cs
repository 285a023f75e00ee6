using System.Runtime.CompilerServices;
using PadKernel.Text;

namespace PadKernel.Server.Generation;

/// <summary>
/// A lower bound on how many tokens a text becomes, from its UTF-8 length alone: what lets the server refuse an
/// over-long prompt without tokenizing it.
/// </summary>
/// <remarks>
/// One token stands for at most B bytes of text, B being the longest text any vocabulary entry decodes to (computed
/// once per tokenizer). Normalization may shrink text before it is split into tokens — NFKC turns the 4-byte 𝐀 into
/// "A", NFC folds a 9-byte Hangul jamo triple into one 3-byte syllable, lowercasing turns the 3-byte Kelvin sign into
/// "k" — so the bound lets one token stand for 4·B bytes of the text as sent. Not covered: a tokenizer whose
/// normalizer deletes text, or that folds a whole run of unknown characters into one token; neither is a prompt a
/// model can answer well.
/// </remarks>
internal static class TokenCountBound
{
    private const int NormalizationShrink = 4;

    private static readonly ConditionalWeakTable<ITokenizer, StrongBox<int>> LongestToken = new();

    /// <summary>Returns a number of tokens that <paramref name="utf8Bytes"/> bytes of text encode to at least (0 when unknown).</summary>
    public static long MinimumTokens(ITokenizer tokenizer, long utf8Bytes)
    {
        // A tokenizer that reports its longest token (and does not normalize) gives the exact bound; others are measured.
        long bytesPerToken = tokenizer.MaxBytesPerToken > 0
            ? tokenizer.MaxBytesPerToken
            : (long)LongestToken.GetValue(tokenizer, Measure).Value * NormalizationShrink;
        return bytesPerToken == 0 ? 0 : (utf8Bytes + bytesPerToken - 1) / bytesPerToken;
    }

    private static StrongBox<int> Measure(ITokenizer tokenizer)
    {
        // A token's bytes after another ordinary token: after BOS or at the start, decoders drop a dummy-prefix space.
        int longest = 0;
        for (int id = 0; id < tokenizer.VocabularySize; id++)
        {
            longest = Math.Max(longest, tokenizer.GetTokenBytes(id, id).Length);
        }

        return new StrongBox<int>(longest);
    }
}
