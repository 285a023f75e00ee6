using System.Text;
using System.Text.RegularExpressions;

namespace PadKernel.Tokenizers.Components;

/// <summary>A Hugging Face normalizer: rewrites the text before it is split into words.</summary>
internal abstract class Normalizer
{
    /// <summary>Normalizes <paramref name="text"/>; <paramref name="start"/> says where the segment sits.</summary>
    public abstract string Normalize(string text, SegmentStart start);
}

/// <summary><c>Prepend</c>: SentencePiece's dummy prefix, applied to every segment except a continuation.</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override string Normalize(string text, SegmentStart start) =>
        start != SegmentStart.Continuation && text.Length > 0 ? prefix + text : text;
}

/// <summary><c>Replace</c> with a literal pattern.</summary>
internal sealed class ReplaceNormalizer(string pattern, string content) : Normalizer
{
    public override string Normalize(string text, SegmentStart start) => text.Replace(pattern, content, StringComparison.Ordinal);
}

/// <summary><c>Replace</c> with a regular-expression pattern.</summary>
internal sealed class RegexReplaceNormalizer(Regex pattern, string content) : Normalizer
{
    public override string Normalize(string text, SegmentStart start) => pattern.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal));
}

/// <summary><c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>.</summary>
internal sealed class UnicodeNormalizer(NormalizationForm form) : Normalizer
{
    public override string Normalize(string text, SegmentStart start) => text.IsNormalized(form) ? text : text.Normalize(form);
}

/// <summary><c>Lowercase</c>.</summary>
internal sealed class LowercaseNormalizer : Normalizer
{
    public override string Normalize(string text, SegmentStart start) => text.ToLowerInvariant();
}

/// <summary><c>Sequence</c>: the normalizers in order.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<Normalizer> normalizers) : Normalizer
{
    public override string Normalize(string text, SegmentStart start)
    {
        foreach (Normalizer normalizer in normalizers)
        {
            text = normalizer.Normalize(text, start);
        }

        return text;
    }
}
