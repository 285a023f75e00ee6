using System.Text.RegularExpressions;

namespace PadKernel.Evaluation.Judges;

/// <summary>Splits text into words and sentences the same way for every judge and metric.</summary>
public static partial class TextUnits
{
    /// <summary>Returns the words of <paramref name="text"/>, lower-cased (letters, digits and inner apostrophes).</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        MatchCollection matches = WordPattern().Matches(text);
        var words = new string[matches.Count];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = matches[i].Value.ToLowerInvariant();
        }

        return words;
    }

    /// <summary>Returns the word counts of the sentences of <paramref name="text"/> (split at . ! ? and line breaks; empty sentences dropped).</summary>
    public static IReadOnlyList<int> SentenceLengths(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lengths = new List<int>();
        foreach (string sentence in SentencePattern().Split(text))
        {
            int words = WordPattern().Count(sentence);
            if (words > 0)
            {
                lengths.Add(words);
            }
        }

        return lengths;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}]+)*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[.!?\n]+")]
    private static partial Regex SentencePattern();
}
