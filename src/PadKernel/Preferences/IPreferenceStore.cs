namespace PadKernel.Preferences;

/// <summary>
/// Per-user preference memory. Every operation is scoped by a user id: no call can read or change another user's
/// preferences. Implementations are thread-safe.
/// </summary>
public interface IPreferenceStore
{
    /// <summary>Lists a user's preferences, oldest first.</summary>
    Task<IReadOnlyList<StoredPreference>> ListAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Adds a preference, or updates the weight of the user's preference with the same text (compared case-insensitively, trimmed).</summary>
    Task<StoredPreference> SetAsync(string userId, string text, float weight, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's preference with this id or this text; returns whether one was removed.</summary>
    Task<bool> RemoveAsync(string userId, string idOrText, CancellationToken cancellationToken = default);

    /// <summary>Removes all of a user's preferences; returns how many were removed.</summary>
    Task<int> ClearAsync(string userId, CancellationToken cancellationToken = default);
}
