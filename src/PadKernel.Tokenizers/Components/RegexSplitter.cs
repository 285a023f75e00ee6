using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PadKernel.Tokenizers.Components;

/// <summary>How the pieces a pattern matches are kept (the Hugging Face <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    /// <summary>Matches become pieces of their own.</summary>
    Isolated,

    /// <summary>Matches are dropped.</summary>
    Removed,

    /// <summary>A match is appended to the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>A match is prepended to the piece after it.</summary>
    MergedWithNext,
}

/// <summary>
/// Splits text with a .NET regular expression the way Hugging Face tokenizers split with Oniguruma, which matches
/// code points: .NET matches UTF-16 units, so characters outside the BMP are stood in for by a BMP character of the
/// same Unicode category while matching, which keeps <c>\p{L}</c>, <c>\p{N}</c>, <c>\s</c> and counted quantifiers right.
/// </summary>
internal sealed class RegexSplitter
{
    private static readonly char[] CategoryStandIns = BuildCategoryStandIns();
    private readonly Regex _regex;

    public RegexSplitter(Regex regex) => _regex = regex;

    /// <summary>Splits <paramref name="text"/> and appends the non-empty pieces to <paramref name="pieces"/>.</summary>
    public void Split(string text, List<string> pieces, SplitBehavior behavior, bool invert)
    {
        if (text.Length == 0)
        {
            return;
        }

        string matched = text;
        int[]? offsets = null;
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            (matched, offsets) = StandInAstral(text);
        }

        // Segments as (start, end, isDelimiter) over the original text.
        var segments = new List<(int Start, int End, bool Delimiter)>();
        int last = 0;
        for (Match m = _regex.Match(matched); m.Success; m = m.NextMatch())
        {
            if (m.Length == 0)
            {
                continue;
            }

            int start = offsets is null ? m.Index : offsets[m.Index];
            int end = offsets is null ? m.Index + m.Length : offsets[m.Index + m.Length];
            if (start > last)
            {
                segments.Add((last, start, invert));
            }

            segments.Add((start, end, !invert));
            last = end;
        }

        if (last < text.Length)
        {
            segments.Add((last, text.Length, invert));
        }

        Apply(text, segments, pieces, behavior);
    }

    private static void Apply(string text, List<(int Start, int End, bool Delimiter)> segments, List<string> pieces, SplitBehavior behavior)
    {
        int pendingStart = -1;
        foreach (var (start, end, delimiter) in segments)
        {
            switch (behavior)
            {
                case SplitBehavior.Isolated:
                    pieces.Add(text[start..end]);
                    break;
                case SplitBehavior.Removed:
                    if (!delimiter)
                    {
                        pieces.Add(text[start..end]);
                    }

                    break;
                case SplitBehavior.MergedWithPrevious:
                    // A delimiter joins the piece before it unless that piece is a delimiter too.
                    if (pendingStart >= 0)
                    {
                        if (delimiter)
                        {
                            pieces.Add(text[pendingStart..end]);
                            pendingStart = -1;
                            break;
                        }

                        pieces.Add(text[pendingStart..start]);
                    }

                    if (delimiter)
                    {
                        pieces.Add(text[start..end]);
                    }
                    else
                    {
                        pendingStart = start;
                    }

                    break;
                case SplitBehavior.MergedWithNext:
                    if (delimiter)
                    {
                        if (pendingStart >= 0)
                        {
                            pieces.Add(text[pendingStart..start]);
                        }

                        pendingStart = start;
                    }
                    else
                    {
                        pieces.Add(text[(pendingStart >= 0 ? pendingStart : start)..end]);
                        pendingStart = -1;
                    }

                    break;
            }
        }

        if (pendingStart >= 0)
        {
            pieces.Add(text[pendingStart..]);
        }
    }

    private static (string Text, int[] Offsets) StandInAstral(string text)
    {
        var builder = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        int i = 0;
        while (i < text.Length)
        {
            offsets.Add(i);
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int used) == System.Buffers.OperationStatus.Done && used == 2)
            {
                builder.Append(CategoryStandIns[(int)Rune.GetUnicodeCategory(rune)]);
            }
            else
            {
                builder.Append(text[i]);
                used = 1;
            }

            i += used;
        }

        offsets.Add(text.Length);
        return (builder.ToString(), offsets.ToArray());
    }

    private static char[] BuildCategoryStandIns()
    {
        // The first non-ASCII BMP character of each category: never a literal of the ASCII-only patterns tokenizers use.
        var map = new char[32];
        var found = new bool[32];
        for (int c = 0x100; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            int category = (int)CharUnicodeInfo.GetUnicodeCategory((char)c);
            if (!found[category])
            {
                found[category] = true;
                map[category] = (char)c;
            }
        }

        return map;
    }
}
