namespace PadKernel.Server.Configuration;

/// <summary>
/// Where <c>pad serve</c> keeps users' preferences (configuration section <c>PadServer:Preferences</c>):
/// <code>
/// "Preferences": { "Store": "postgres", "ConnectionString": "Host=db;Database=pad;Username=pad;Password=...", "MaxStalenessSeconds": 2 }
/// </code>
/// </summary>
public sealed class PadServerPreferencesOptions
{
    /// <summary>The store name for a SQLite file (the default).</summary>
    public const string Sqlite = "sqlite";

    /// <summary>The store name for a PostgreSQL database shared by several replicas.</summary>
    public const string Postgres = "postgres";

    /// <summary>
    /// Gets or sets the store: <c>sqlite</c> (one process, one file) or <c>postgres</c> (any number of replicas on one
    /// database). Default: <c>postgres</c> when <see cref="ConnectionString"/> is set, else <c>sqlite</c>.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>
    /// Gets or sets the SQLite file; default <c>PadKernel:PreferencesDatabase</c>, else <c>preferences.db</c> in the
    /// data folder (<c>PADKERNEL_DATA</c>, else <c>$XDG_DATA_HOME/padkernel</c> or <c>~/.local/share/padkernel</c>;
    /// <c>%LOCALAPPDATA%\padkernel</c> on Windows).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets the Npgsql connection string of the PostgreSQL store.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets how long, in seconds, a replica may serve a user's list from its cache before it reads the
    /// database again (PostgreSQL store). Changes through another replica normally arrive in milliseconds by
    /// <c>NOTIFY</c>; this bounds the delay when a notification is lost. 0 turns the cache off. Default 2.
    /// </summary>
    public double MaxStalenessSeconds { get; set; } = 2;

    /// <summary>Gets the store in force: <see cref="Store"/>, else by whether a connection string is set.</summary>
    internal string EffectiveStore => string.IsNullOrWhiteSpace(Store)
        ? (string.IsNullOrWhiteSpace(ConnectionString) ? Sqlite : Postgres)
        : Store.Trim().ToLowerInvariant();
}
