using PadKernel.Alignment;

namespace PadKernel.Preferences;

/// <summary>The rules every preference store shares for user ids, preference text and weights.</summary>
public static class PreferenceText
{
    /// <summary>The longest preference text a store accepts, in characters.</summary>
    public const int MaxLength = 2000;

    /// <summary>Returns the key two preference texts are compared by: trimmed and lower-cased (invariant culture).</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant();
    }

    /// <summary>Returns whether two preference texts count as the same preference.</summary>
    public static bool SameText(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> for an empty user id.</summary>
    public static void ValidateUserId(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new ArgumentException("A user id must be non-empty.", nameof(userId));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> for empty or over-long text or a weight that is not finite; returns the trimmed text.</summary>
    public static string Validate(string text, float weight)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("A preference needs non-empty text.", nameof(text));
        }

        if (trimmed.Length > MaxLength)
        {
            throw new ArgumentException($"A preference may be at most {MaxLength} characters long.", nameof(text));
        }

        if (!float.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A preference weight must be a finite number.");
        }

        return trimmed;
    }

    /// <summary>
    /// Validates a whole replacement list (see <see cref="IPreferenceStore.ReplaceAsync"/>): every entry as
    /// <see cref="Validate"/> does, and no two with the same text. Returns the entries trimmed, in order, with their
    /// comparison keys.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is null or invalid, or two entries have the same text.</exception>
    public static IReadOnlyList<NormalizedPreference> ValidateList(IReadOnlyList<Preference> preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        var result = new NormalizedPreference[preferences.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < preferences.Count; i++)
        {
            Preference preference = preferences[i] ?? throw new ArgumentException($"Preference {i} is null.", nameof(preferences));
            string trimmed = Validate(preference.Text, preference.Weight);
            string key = Normalize(trimmed);
            if (!seen.Add(key))
            {
                throw new ArgumentException($"The preference '{trimmed}' appears twice.", nameof(preferences));
            }

            result[i] = new NormalizedPreference(trimmed, key, preference.Weight);
        }

        return result;
    }
}

/// <summary>A validated preference: trimmed text, the key it is compared by (<see cref="PreferenceText.Normalize"/>) and its weight.</summary>
/// <param name="Text">The trimmed text.</param>
/// <param name="Key">The comparison key.</param>
/// <param name="Weight">The weight.</param>
public sealed record NormalizedPreference(string Text, string Key, float Weight);
