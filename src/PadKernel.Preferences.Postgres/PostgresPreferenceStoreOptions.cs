namespace PadKernel.Preferences.Postgres;

/// <summary>Settings of a <see cref="PostgresPreferenceStore"/>.</summary>
public sealed class PostgresPreferenceStoreOptions
{
    /// <summary>The default <see cref="MaxStaleness"/>: two seconds.</summary>
    public static readonly TimeSpan DefaultMaxStaleness = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the Npgsql connection string (for example <c>Host=db;Database=pad;Username=pad;Password=...</c>).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Gets or sets how long a user's list may be served from this process's cache. A change made through this
    /// store is seen by it at once; a change made through another process (another replica) is normally seen within
    /// milliseconds (PostgreSQL <c>NOTIFY</c> evicts the entry), and never later than this bound, even when
    /// notifications are lost. <see cref="TimeSpan.Zero"/> turns the cache off: every read queries the database.
    /// Default 2 seconds.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = DefaultMaxStaleness;

    /// <summary>Gets or sets the most users whose lists are cached at once; beyond that, reads of other users go to the database. Default 10,000.</summary>
    public int MaxCachedUsers { get; set; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("A PostgreSQL preference store needs a connection string.", nameof(ConnectionString));
        }

        if (MaxStaleness < TimeSpan.Zero || MaxStaleness > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStaleness), MaxStaleness, "MaxStaleness must be between 0 and one day.");
        }

        if (MaxCachedUsers < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCachedUsers), MaxCachedUsers, "MaxCachedUsers must be >= 0.");
        }
    }

    internal PostgresPreferenceStoreOptions Clone() => (PostgresPreferenceStoreOptions)MemberwiseClone();
}
