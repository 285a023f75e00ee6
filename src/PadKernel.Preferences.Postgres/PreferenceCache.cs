using System.Collections.Concurrent;

namespace PadKernel.Preferences.Postgres;

/// <summary>
/// Users' lists as last read, each for at most a fixed time. An eviction also advances a counter that readers check
/// before they store what they read, so a read that raced with a change never caches the older list.
/// </summary>
internal sealed class PreferenceCache(TimeSpan maxAge, int maxUsers, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _evictions;
    private long _lastSweep;

    public bool Enabled => maxAge > TimeSpan.Zero && maxUsers > 0;

    /// <summary>Gets the eviction counter to pass to <see cref="TryAdd"/> after a read.</summary>
    public long Version => Interlocked.Read(ref _evictions);

    public bool TryGet(string userId, out IReadOnlyList<StoredPreference> list)
    {
        if (_entries.TryGetValue(userId, out Entry? entry) && time.GetElapsedTime(entry.ReadAt) < maxAge)
        {
            list = entry.List;
            return true;
        }

        list = [];
        return false;
    }

    /// <summary>Caches a list read when <see cref="Version"/> was <paramref name="version"/>, unless something was evicted since.</summary>
    public void TryAdd(string userId, IReadOnlyList<StoredPreference> list, long version, long readAt)
    {
        if (!Enabled)
        {
            return;
        }

        if (_entries.Count >= maxUsers && !_entries.ContainsKey(userId))
        {
            // Full: drop expired entries, at most once per maxAge (a sweep walks every entry); else leave this one out.
            long last = Interlocked.Read(ref _lastSweep);
            if (time.GetElapsedTime(last) < maxAge || Interlocked.CompareExchange(ref _lastSweep, time.GetTimestamp(), last) != last)
            {
                return;
            }

            foreach (KeyValuePair<string, Entry> old in _entries)
            {
                if (time.GetElapsedTime(old.Value.ReadAt) >= maxAge)
                {
                    _entries.TryRemove(old);
                }
            }

            if (_entries.Count >= maxUsers)
            {
                return;
            }
        }

        var entry = new Entry(list, readAt);
        _entries[userId] = entry;

        // An eviction since the read began may have come before this entry was stored: drop it again.
        if (Version != version)
        {
            _entries.TryRemove(KeyValuePair.Create(userId, entry));
        }
    }

    /// <summary>Evicts one user's list (null: every list).</summary>
    public void Evict(string? userId)
    {
        Interlocked.Increment(ref _evictions);
        if (userId is null)
        {
            _entries.Clear();
        }
        else
        {
            _entries.TryRemove(userId, out _);
        }
    }

    private sealed record Entry(IReadOnlyList<StoredPreference> List, long ReadAt);
}
