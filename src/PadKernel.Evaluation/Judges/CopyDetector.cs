namespace PadKernel.Evaluation.Judges;

/// <summary>
/// Finds text that echoes the instruction instead of following it: any verbatim word n-gram of the preference, and
/// meta-text about the story ("the story", "main character", "moral of the story", …). Keyword judges reward such
/// copies ("The story is about food." names food), so an evaluation zeroes their adherence.
/// </summary>
public static class CopyDetector
{
    /// <summary>The meta phrases counted, in lower case, compared on whole words.</summary>
    public static IReadOnlyList<string> MetaPhrases { get; } = ["the story", "this story", "main character", "moral of the story", "story is about"];

    /// <summary>Counts the preference's word n-grams and the meta phrases that occur in <paramref name="text"/> (every occurrence).</summary>
    /// <param name="text">The generated continuation.</param>
    /// <param name="preference">The preference text.</param>
    /// <param name="n">The n-gram length taken from the preference; 3 by default (a shared "a dog" is not a copy).</param>
    public static int Count(string text, string preference, int n = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(preference);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        string words = " " + string.Join(' ', TextUnits.Words(text)) + " ";
        IReadOnlyList<string> pref = TextUnits.Words(preference);
        var phrases = new HashSet<string>(MetaPhrases, StringComparer.Ordinal);
        for (int i = 0; i + n <= pref.Count; i++)
        {
            phrases.Add(string.Join(' ', pref.Skip(i).Take(n)));
        }

        int count = 0;
        foreach (string phrase in phrases)
        {
            string needle = " " + phrase + " ";
            for (int at = words.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = words.IndexOf(needle, at + 1, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
