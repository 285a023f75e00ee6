using System.Runtime.CompilerServices;
using System.Text;

namespace PadKernel.Text;

/// <summary>
/// The text each token id stands for in the middle of text: its bytes after an ordinary token (so a SentencePiece
/// piece keeps its leading space) decoded as UTF-8, or null for a token with no text of its own (a control token, a
/// byte-fallback fragment of a multi-byte character). Computed once per tokenizer and vocabulary size.
/// </summary>
internal static class TokenTexts
{
    private static readonly ConditionalWeakTable<ITokenizer, string?[]> Cache = [];

    /// <summary>Gets the texts of ids <c>0..vocabularySize-1</c> (null past the tokenizer's own vocabulary).</summary>
    public static string?[] Of(ITokenizer tokenizer, int vocabularySize)
    {
        if (Cache.TryGetValue(tokenizer, out string?[]? cached) && cached.Length == vocabularySize)
        {
            return cached;
        }

        string?[] texts = Compute(tokenizer, vocabularySize);
        Cache.AddOrUpdate(tokenizer, texts);
        return texts;
    }

    private static string?[] Compute(ITokenizer tokenizer, int vocabularySize)
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var texts = new string?[vocabularySize];
        for (int id = 0; id < vocabularySize && id < tokenizer.VocabularySize; id++)
        {
            try
            {
                string text = decoder.GetString(tokenizer.GetTokenBytes(id, id));
                texts[id] = text.Length == 0 ? null : text;
            }
            catch (DecoderFallbackException)
            {
                // A byte-fallback fragment of a multi-byte character has no text of its own.
            }
        }

        return texts;
    }
}
