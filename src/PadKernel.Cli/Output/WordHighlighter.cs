using System.Text;
using Spectre.Console;

namespace PadKernel.Cli.Output;

/// <summary>
/// Lays out a generated text for <c>pad compare</c>: whole words highlighted (a word with any differing token is
/// highlighted entirely, and so are the spaces between two highlighted words), wrapped at word boundaries to a column width.
/// </summary>
internal static class WordHighlighter
{
    /// <summary>Returns Spectre markup lines of at most <paramref name="width"/> characters each.</summary>
    /// <param name="pieces">The text of each token, in order.</param>
    /// <param name="changed">For each token, whether it is to be highlighted.</param>
    /// <param name="width">The column width.</param>
    /// <param name="style">The highlight style (Spectre markup).</param>
    public static IReadOnlyList<string> Lines(IReadOnlyList<string> pieces, IReadOnlyList<bool> changed, int width, string style = "black on yellow")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var text = new StringBuilder();
        var marked = new List<bool>();
        for (int i = 0; i < pieces.Count; i++)
        {
            text.Append(pieces[i]);
            marked.AddRange(Enumerable.Repeat(changed[i], pieces[i].Length));
        }

        string all = text.ToString();
        return Layout(all, WholeWords(all, marked), width, style);
    }

    /// <summary>Marks every character of a word (a run of non-space characters) when any of its characters is marked, and the spaces between two marked words.</summary>
    internal static bool[] WholeWords(string text, IReadOnlyList<bool> marked)
    {
        bool[] result = new bool[text.Length];
        int start = 0;
        while (start < text.Length)
        {
            if (char.IsWhiteSpace(text[start]))
            {
                start++;
                continue;
            }

            int end = start;
            bool any = false;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                any |= marked[end];
                end++;
            }

            for (int i = start; i < end; i++)
            {
                result[i] = any;
            }

            start = end;
        }

        // Spaces between two highlighted words are highlighted too: a changed phrase reads as one block.
        for (int i = 1; i < text.Length - 1; i++)
        {
            if (text[i] == ' ' && result[i - 1])
            {
                int next = i;
                while (next < text.Length && text[next] == ' ')
                {
                    next++;
                }

                if (next < text.Length && result[next])
                {
                    Array.Fill(result, true, i, next - i);
                }

                i = next - 1;
            }
        }

        return result;
    }

    private static List<string> Layout(string text, bool[] marked, int width, string style)
    {
        var lines = new List<string>();
        int lineStart = 0;
        while (lineStart <= text.Length)
        {
            // A line ends at a line break, or at the last space that keeps it within the width, or mid-word only for a word longer than the width.
            int newline = text.IndexOf('\n', lineStart);
            int hardEnd = newline >= 0 ? newline : text.Length;
            int end = hardEnd;
            if (end - lineStart > width)
            {
                int space = text.LastIndexOf(' ', lineStart + width, width);
                end = space > lineStart ? space : lineStart + width;
            }

            lines.Add(Render(text, marked, lineStart, end, style));
            if (end >= text.Length)
            {
                break;
            }

            // Skip the break: the line feed, or the space the line was wrapped at.
            lineStart = end < text.Length && (text[end] == '\n' || text[end] == ' ') ? end + 1 : end;
        }

        return lines;
    }

    private static string Render(string text, bool[] marked, int start, int end, string style)
    {
        var markup = new StringBuilder();
        int i = start;
        while (i < end)
        {
            int run = i;
            while (run < end && marked[run] == marked[i])
            {
                run++;
            }

            string piece = Markup.Escape(text[i..run]);
            markup.Append(marked[i] ? $"[{style}]{piece}[/]" : piece);
            i = run;
        }

        return markup.ToString();
    }
}
