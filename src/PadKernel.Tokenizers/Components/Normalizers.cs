using System.Text;
using System.Text.RegularExpressions;

namespace PadKernel.Tokenizers.Components;

/// <summary>A Hugging Face normalizer: rewrites the text before it is split into words.</summary>
internal abstract class Normalizer
{
    /// <summary>Normalizes <paramref name="text"/>; <paramref name="atStartOfText"/> says whether it starts the sequence.</summary>
    public abstract string Normalize(string text, bool atStartOfText);
}

/// <summary><c>Prepend</c>: SentencePiece's dummy prefix, applied only where the text starts the sequence.</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override string Normalize(string text, bool atStartOfText) =>
        atStartOfText && text.Length > 0 ? prefix + text : text;
}

/// <summary><c>Replace</c> with a literal pattern.</summary>
internal sealed class ReplaceNormalizer(string pattern, string content) : Normalizer
{
    public override string Normalize(string text, bool atStartOfText) => text.Replace(pattern, content, StringComparison.Ordinal);
}

/// <summary><c>Replace</c> with a regular-expression pattern.</summary>
internal sealed class RegexReplaceNormalizer(Regex pattern, string content) : Normalizer
{
    public override string Normalize(string text, bool atStartOfText) => pattern.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal));
}

/// <summary><c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>.</summary>
internal sealed class UnicodeNormalizer(NormalizationForm form) : Normalizer
{
    public override string Normalize(string text, bool atStartOfText) => text.IsNormalized(form) ? text : text.Normalize(form);
}

/// <summary><c>Lowercase</c>.</summary>
internal sealed class LowercaseNormalizer : Normalizer
{
    public override string Normalize(string text, bool atStartOfText) => text.ToLowerInvariant();
}

/// <summary><c>Sequence</c>: the normalizers in order.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<Normalizer> normalizers) : Normalizer
{
    public override string Normalize(string text, bool atStartOfText)
    {
        foreach (Normalizer normalizer in normalizers)
        {
            text = normalizer.Normalize(text, atStartOfText);
        }

        return text;
    }
}
