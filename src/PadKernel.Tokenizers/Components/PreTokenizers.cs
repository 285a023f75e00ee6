using System.Text;

namespace PadKernel.Tokenizers.Components;

/// <summary>A Hugging Face pre-tokenizer: splits normalized text into the words BPE encodes one by one.</summary>
internal abstract class PreTokenizer
{
    /// <summary>Splits every piece of <paramref name="pieces"/>; returns the new pieces.</summary>
    /// <param name="pieces">The pieces so far (the first one starts the segment).</param>
    /// <param name="start">Where the segment sits.</param>
    public abstract List<string> PreTokenize(List<string> pieces, SegmentStart start);
}

/// <summary>
/// <c>ByteLevel</c>: optionally a prefix space and GPT-2's word regex, then every piece's UTF-8 bytes written in the
/// byte-level alphabet.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, RegexSplitter? splitter) : PreTokenizer
{
    /// <summary>GPT-2's pre-tokenization pattern.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public override List<string> PreTokenize(List<string> pieces, SegmentStart start)
    {
        var result = new List<string>(pieces.Count * 2);
        var split = new List<string>();
        for (int p = 0; p < pieces.Count; p++)
        {
            string piece = pieces[p];
            // As in Hugging Face, every piece gets the prefix space, except the first one of a continuation.
            if (addPrefixSpace && (p > 0 || start != SegmentStart.Continuation) && !piece.StartsWith(' '))
            {
                piece = " " + piece;
            }

            split.Clear();
            if (splitter is null)
            {
                split.Add(piece);
            }
            else
            {
                splitter.Split(piece, split, SplitBehavior.Isolated, invert: false);
            }

            foreach (string word in split)
            {
                result.Add(ToAlphabet(word));
            }
        }

        return result;
    }

    private static string ToAlphabet(string word)
    {
        const int StackLimit = 256;
        int byteCount = Encoding.UTF8.GetByteCount(word);
        Span<byte> bytes = byteCount <= StackLimit ? stackalloc byte[StackLimit] : new byte[byteCount];
        Span<char> chars = byteCount <= StackLimit ? stackalloc char[StackLimit] : new char[byteCount];
        Encoding.UTF8.GetBytes(word, bytes);
        for (int i = 0; i < byteCount; i++)
        {
            chars[i] = ByteLevelAlphabet.ByteToChar[bytes[i]];
        }

        return new string(chars[..byteCount]);
    }
}

/// <summary><c>Split</c> with a regex or literal pattern.</summary>
internal sealed class SplitPreTokenizer(RegexSplitter splitter, SplitBehavior behavior, bool invert) : PreTokenizer
{
    public override List<string> PreTokenize(List<string> pieces, SegmentStart start)
    {
        var result = new List<string>(pieces.Count * 2);
        foreach (string piece in pieces)
        {
            splitter.Split(piece, result, behavior, invert);
        }

        return result;
    }
}

/// <summary>When <see cref="MetaspacePreTokenizer"/> prepends its replacement character.</summary>
internal enum PrependScheme
{
    /// <summary>To the first piece of the text only.</summary>
    First,

    /// <summary>To every piece.</summary>
    Always,

    /// <summary>Never.</summary>
    Never,
}

/// <summary><c>Metaspace</c>: spaces become <c>▁</c>, a <c>▁</c> is prepended per the scheme, optional split before each <c>▁</c>.</summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme scheme, bool split) : PreTokenizer
{
    public override List<string> PreTokenize(List<string> pieces, SegmentStart start)
    {
        var result = new List<string>(pieces.Count);
        for (int p = 0; p < pieces.Count; p++)
        {
            string piece = pieces[p].Replace(' ', replacement);
            bool prepend = scheme switch
            {
                PrependScheme.Always => p > 0 || start != SegmentStart.Continuation,
                PrependScheme.First => p == 0 && start == SegmentStart.TextStart,
                _ => false,
            };
            if (prepend && piece.Length > 0 && piece[0] != replacement)
            {
                piece = replacement + piece;
            }

            if (!split)
            {
                result.Add(piece);
                continue;
            }

            // Split before every replacement character (MergedWithNext).
            int wordStart = 0;
            for (int i = 1; i < piece.Length; i++)
            {
                if (piece[i] == replacement)
                {
                    result.Add(piece[wordStart..i]);
                    wordStart = i;
                }
            }

            if (wordStart < piece.Length)
            {
                result.Add(piece[wordStart..]);
            }
        }

        return result;
    }
}

/// <summary><c>Sequence</c>: the pre-tokenizers in order.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> preTokenizers) : PreTokenizer
{
    public override List<string> PreTokenize(List<string> pieces, SegmentStart start)
    {
        foreach (PreTokenizer preTokenizer in preTokenizers)
        {
            pieces = preTokenizer.PreTokenize(pieces, start);
        }

        return pieces;
    }
}
