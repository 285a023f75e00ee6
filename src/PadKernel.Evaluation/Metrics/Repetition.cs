using PadKernel.Evaluation.Judges;

namespace PadKernel.Evaluation.Metrics;

/// <summary>Repetition of a text's words: distinct-1/2 and the longest word n-gram that occurs twice.</summary>
/// <param name="Distinct1">Distinct unigrams / unigrams (1 when the text has no words).</param>
/// <param name="Distinct2">Distinct bigrams / bigrams (1 when the text has fewer than two words).</param>
/// <param name="LongestRepeat">The length in words of the longest n-gram that occurs at least twice (occurrences may overlap); 0 when none.</param>
public readonly record struct Repetition(double Distinct1, double Distinct2, int LongestRepeat)
{
    /// <summary>Measures the repetition of <paramref name="text"/>'s lower-cased words.</summary>
    public static Repetition Measure(string text)
    {
        IReadOnlyList<string> words = TextUnits.Words(text);
        return new Repetition(Distinct(words, 1), Distinct(words, 2), LongestRepeatedNGram(words));
    }

    /// <summary>The fraction of distinct n-grams among all n-grams of <paramref name="words"/>.</summary>
    public static double Distinct(IReadOnlyList<string> words, int n)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        int total = words.Count - n + 1;
        if (total <= 0)
        {
            return 1;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < total; i++)
        {
            seen.Add(string.Join(' ', words.Skip(i).Take(n)));
        }

        return (double)seen.Count / total;
    }

    /// <summary>The longest n such that some n-gram of <paramref name="words"/> occurs at least twice.</summary>
    public static int LongestRepeatedNGram(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);

        // If an n-gram repeats, so does its (n-1)-prefix: the property is monotone, so search upward until it fails.
        int longest = 0;
        for (int n = 1; n < words.Count; n++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            bool repeated = false;
            for (int i = 0; i + n <= words.Count && !repeated; i++)
            {
                repeated = !seen.Add(string.Join(' ', words.Skip(i).Take(n)));
            }

            if (!repeated)
            {
                break;
            }

            longest = n;
        }

        return longest;
    }
}
