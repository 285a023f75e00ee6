namespace PadKernel.Cli.Errors;

/// <summary>Finds what the user most likely meant among known names (options, commands, models): "did you mean …?".</summary>
internal static class NearestName
{
    /// <summary>The known name closest to <paramref name="typed"/>: the same ignoring case, a unique prefix, or within a small edit distance; null when none is close.</summary>
    public static string? Find(string typed, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(typed);
        string[] known = names.Distinct(StringComparer.Ordinal).ToArray();
        string? sameIgnoringCase = known.FirstOrDefault(n => string.Equals(n, typed, StringComparison.OrdinalIgnoreCase));
        if (sameIgnoringCase is not null)
        {
            return sameIgnoringCase;
        }

        string[] prefixed = typed.Length >= 4 ? known.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToArray() : [];
        if (prefixed.Length == 1)
        {
            return prefixed[0];
        }

        // About one typo per three characters (an option's dashes not counted).
        int allowed = Math.Max(1, typed.TrimStart('-').Length / 3);
        return known
            .Select(n => (Name: n, Distance: EditDistance(typed.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name.Length)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    // Optimal string alignment distance: a swap of two neighbouring letters ("lsit") counts as one typo.
    private static int EditDistance(string a, string b)
    {
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
