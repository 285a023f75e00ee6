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
    public override string Normalize(string text, SegmentStart start)
    {
        try
        {
            return text.IsNormalized(form) ? text : text.Normalize(form);
        }
        catch (ArgumentException)
        {
            return NormalizeAroundRefused(text);
        }
    }

    // .NET refuses a whole string holding U+FFFE or a lone surrogate; Hugging Face's normalizers pass such a character
    // through unchanged (it has no decomposition), so normalize the runs between them and keep them as they are.
    private string NormalizeAroundRefused(string text)
    {
        var result = new StringBuilder(text.Length);
        int run = 0;
        for (int i = 0; i < text.Length;)
        {
            int length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (IsRefused(text.AsSpan(i, length)))
            {
                result.Append(text.AsSpan(run, i - run).ToString().Normalize(form)).Append(text, i, length);
                run = i + length;
            }

            i += length;
        }

        return result.Append(text.AsSpan(run).ToString().Normalize(form)).ToString();
    }

    private bool IsRefused(ReadOnlySpan<char> character)
    {
        try
        {
            _ = character.ToString().IsNormalized(form);
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
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
