using PadKernel.Alignment;

namespace PadKernel.Preferences;

/// <summary>
/// The rules every preference store, the chat client and the server share for user ids, preference text and weights:
/// the one place they are written (stores, request options and the server's edge all call these).
/// </summary>
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

    /// <summary>Throws <see cref="ArgumentException"/> for an empty user id, and <see cref="InvalidCharacterException"/> for one with a control character.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="field">The name of the field it came from, for the message.</param>
    public static void ValidateUserId(string userId, string field = "userId")
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new ArgumentException("A user id must be non-empty.", field);
        }

        ValidateCharacters(userId, field, allowLineBreaks: false);
    }

    /// <summary>Checks what <see cref="IPreferenceStore.RemoveAsync"/> looks a preference up by (an id or a text) as text is checked.</summary>
    public static void ValidateIdOrText(string idOrText)
    {
        ArgumentNullException.ThrowIfNull(idOrText);
        ValidateCharacters(idOrText, nameof(idOrText), allowLineBreaks: true);
    }

    /// <summary>
    /// Throws <see cref="InvalidCharacterException"/> when <paramref name="value"/> holds a character that no store keeps
    /// faithfully: NUL or another C0 control character (tab, line feed and carriage return are allowed where
    /// <paramref name="allowLineBreaks"/>), or an unpaired surrogate. PostgreSQL refuses NUL in text, SQLite keeps it,
    /// a terminal or log shows neither; one rule keeps every store and front end alike.
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <param name="field">The field it came from (a parameter, option or JSON path), named in the message.</param>
    /// <param name="allowLineBreaks">Whether tab, line feed and carriage return are allowed.</param>
    public static void ValidateCharacters(string value, string field, bool allowLineBreaks)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(field);
        int index = FindInvalidCharacter(value, allowLineBreaks);
        if (index >= 0)
        {
            throw new InvalidCharacterException(field, index, value[index], allowLineBreaks);
        }
    }

    /// <summary>Returns the position of the first character <see cref="ValidateCharacters"/> refuses, or -1.</summary>
    /// <param name="value">The string to check.</param>
    /// <param name="allowLineBreaks">Whether tab, line feed and carriage return are allowed.</param>
    public static int FindInvalidCharacter(ReadOnlySpan<char> value, bool allowLineBreaks)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < ' ')
            {
                if (!allowLineBreaks || c is not ('\t' or '\n' or '\r'))
                {
                    return i;
                }
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for empty or over-long text or a weight that is not finite, and
    /// <see cref="InvalidCharacterException"/> for text with a control character (see <see cref="ValidateCharacters"/>);
    /// returns the trimmed text.
    /// </summary>
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

        ValidateCharacters(trimmed, nameof(text), allowLineBreaks: true);
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
