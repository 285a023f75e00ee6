using PadKernel.Alignment;

namespace PadKernel.Preferences;

/// <summary>
/// Per-user preference memory. Every operation is scoped by a user id: no call can read or change another user's
/// preferences. Implementations are thread-safe, and each operation is atomic: a reader sees a user's list as it was
/// before or after a change, never part of one.
/// </summary>
public interface IPreferenceStore
{
    /// <summary>Lists a user's preferences, oldest first.</summary>
    Task<IReadOnlyList<StoredPreference>> ListAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Adds a preference, or updates the weight of the user's preference with the same text (compared case-insensitively, trimmed).</summary>
    Task<StoredPreference> SetAsync(string userId, string text, float weight, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a user's whole list in one atomic step: preferences whose text is not in <paramref name="preferences"/>
    /// are removed, the others keep their id and creation time and take the new weight, new ones are added in the
    /// given order. Concurrent readers and writers see the old or the new list, never a mix. An empty list clears it.
    /// </summary>
    /// <returns>The user's new list, oldest first.</returns>
    /// <exception cref="ArgumentException">A preference is invalid (see <see cref="PreferenceText.Validate"/>) or two have the same text; nothing is changed.</exception>
    Task<IReadOnlyList<StoredPreference>> ReplaceAsync(string userId, IReadOnlyList<Preference> preferences, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's preference with this id or this text; returns whether one was removed.</summary>
    Task<bool> RemoveAsync(string userId, string idOrText, CancellationToken cancellationToken = default);

    /// <summary>Removes all of a user's preferences; returns how many were removed.</summary>
    Task<int> ClearAsync(string userId, CancellationToken cancellationToken = default);
}
