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
}
