using PadKernel.Alignment;

namespace PadKernel.Preferences;

/// <summary>A thread-safe <see cref="IPreferenceStore"/> that keeps preferences in memory, for tests and single-process apps.</summary>
public sealed class InMemoryPreferenceStore : IPreferenceStore
{
    private readonly Dictionary<string, List<StoredPreference>> _users = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="InMemoryPreferenceStore"/> class.</summary>
    /// <param name="timeProvider">The clock for created/updated times; the system clock by default.</param>
    public InMemoryPreferenceStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredPreference>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<StoredPreference> list = _users.TryGetValue(userId, out List<StoredPreference>? prefs) ? prefs.ToArray() : [];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc/>
    public Task<StoredPreference> SetAsync(string userId, string text, float weight, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        string trimmed = PreferenceText.Validate(text, weight);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out List<StoredPreference>? prefs))
            {
                prefs = [];
                _users.Add(userId, prefs);
            }

            int index = prefs.FindIndex(p => PreferenceText.SameText(p.Text, trimmed));
            StoredPreference stored = index >= 0
                ? prefs[index] with { Text = trimmed, Weight = weight, UpdatedAt = now }
                : new StoredPreference(Guid.NewGuid().ToString("N"), trimmed, weight, now, now);
            if (index >= 0)
            {
                prefs[index] = stored;
            }
            else
            {
                prefs.Add(stored);
            }

            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredPreference>> ReplaceAsync(string userId, IReadOnlyList<Preference> preferences, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        IReadOnlyList<NormalizedPreference> wanted = PreferenceText.ValidateList(preferences);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            // Built aside and swapped in under the lock: a reader sees the old list or the new one. Oldest first, as
            // every store lists them: the kept ones in their old order, then the new ones in the given order.
            var pending = wanted.ToDictionary(p => p.Key, StringComparer.Ordinal);
            var next = new List<StoredPreference>(wanted.Count);
            foreach (StoredPreference old in _users.GetValueOrDefault(userId) ?? [])
            {
                if (pending.Remove(PreferenceText.Normalize(old.Text), out NormalizedPreference? p))
                {
                    next.Add(old with { Text = p.Text, Weight = p.Weight, UpdatedAt = now });
                }
            }

            foreach (NormalizedPreference p in wanted.Where(p => pending.ContainsKey(p.Key)))
            {
                next.Add(new StoredPreference(Guid.NewGuid().ToString("N"), p.Text, p.Weight, now, now));
            }

            if (next.Count == 0)
            {
                _users.Remove(userId);
            }
            else
            {
                _users[userId] = next;
            }

            return Task.FromResult<IReadOnlyList<StoredPreference>>(next.ToArray());
        }
    }

    /// <inheritdoc/>
    public Task<bool> RemoveAsync(string userId, string idOrText, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        PreferenceText.ValidateIdOrText(idOrText);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            bool removed = _users.TryGetValue(userId, out List<StoredPreference>? prefs) &&
                prefs.RemoveAll(p => p.Id == idOrText || PreferenceText.SameText(p.Text, idOrText)) > 0;
            return Task.FromResult(removed);
        }
    }

    /// <inheritdoc/>
    public Task<int> ClearAsync(string userId, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            int count = _users.Remove(userId, out List<StoredPreference>? prefs) ? prefs.Count : 0;
            return Task.FromResult(count);
        }
    }
}
