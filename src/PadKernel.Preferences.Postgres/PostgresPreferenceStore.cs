using Npgsql;
using NpgsqlTypes;
using PadKernel.Alignment;

namespace PadKernel.Preferences.Postgres;

/// <summary>
/// An <see cref="IPreferenceStore"/> in PostgreSQL, shared by any number of processes (for example several
/// <c>pad serve</c> replicas). The schema is created or migrated when the store is constructed, under an advisory
/// lock, so replicas may start together. Every change is one transaction that first takes a per-user advisory lock,
/// so concurrent writers from any process are serialized per user and never lose or duplicate items, and readers see
/// a user's list before or after a change, never part of one.
/// </summary>
/// <remarks>
/// Reads are cached per user for at most <see cref="PostgresPreferenceStoreOptions.MaxStaleness"/>. Each change
/// sends <c>NOTIFY padkernel_preferences</c> with the user id when it commits; every store listening on the same
/// database evicts that user's entry, so a change through one replica reaches the others in milliseconds, and in any
/// case within <see cref="PostgresPreferenceStoreOptions.MaxStaleness"/>. Changes made through this store evict its
/// own entry at once. Tables: <c>padkernel_preferences</c> and <c>padkernel_schema</c>, in the connection's search path.
/// </remarks>
public sealed class PostgresPreferenceStore : IPreferenceStore, IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this code writes.</summary>
    public const int SchemaVersion = 1;

    // Advisory lock keys: one for migrations, and (this, hashtext(user)) for a user's writes.
    private const long MigrationLock = 0x5041_444B_5052_4546; // "PADKPREF"
    private const int UserLockClass = 0x5041_444B; // "PADK"

    private const string Columns = "id, text, weight, created_at, updated_at";
    private const int ColumnCount = 5;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PreferenceCache _cache;
    private readonly PreferenceChangeListener? _listener;
    private readonly string _channel;
    private readonly TimeProvider _time;

    /// <summary>Opens the store on the database at <paramref name="connectionString"/> with default settings.</summary>
    /// <exception cref="PadKernelException">The database cannot be reached, or its schema is newer than this code.</exception>
    public PostgresPreferenceStore(string connectionString)
        : this(new PostgresPreferenceStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Opens the store, creating or migrating its tables.</summary>
    /// <param name="options">Connection string and cache settings; copied.</param>
    /// <param name="timeProvider">The clock for created/updated times and cache ages; the system clock by default.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    /// <exception cref="PadKernelException">The database cannot be reached, or its schema is newer than this code.</exception>
    public PostgresPreferenceStore(PostgresPreferenceStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        PostgresPreferenceStoreOptions settings = options.Clone();
        settings.Validate();
        _time = timeProvider ?? TimeProvider.System;
        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {e.Message}", nameof(options), e);
        }

        // Named by host and database only: the connection string may hold a password.
        Database = $"{connection.Host}:{connection.Port}/{connection.Database ?? connection.Username}";
        _dataSource = NpgsqlDataSource.Create(connection);
        _cache = new PreferenceCache(settings.MaxStaleness, settings.MaxCachedUsers, _time);
        try
        {
            _channel = PreferenceChangeListener.ChannelFor(Migrate());
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _dataSource.Dispose();
            throw new PreferenceStoreUnavailableException($"Cannot open the PostgreSQL preference store at {Database}: {e.Message}", e);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }

        if (_cache.Enabled)
        {
            _listener = new PreferenceChangeListener(_dataSource, _cache, _channel);
        }
    }

    /// <summary>Gets where the store is, as <c>host:port/database</c> (never the password).</summary>
    public string Database { get; }

    /// <summary>Gets a task that completes when this store listens for other processes' changes (at once when caching is off).</summary>
    public Task Listening => _listener?.Listening ?? Task.CompletedTask;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredPreference>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        cancellationToken.ThrowIfCancellationRequested();
        if (_cache.TryGet(userId, out IReadOnlyList<StoredPreference> cached))
        {
            return cached;
        }

        long version = _cache.Version;
        long readAt = _time.GetTimestamp();
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlCommand command = new($"SELECT {Columns} FROM padkernel_preferences WHERE user_id = $1 ORDER BY created_at, seq;", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = userId });
            IReadOnlyList<StoredPreference> list = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
            _cache.TryAdd(userId, list, version, readAt);
            return list;
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    /// <inheritdoc/>
    public async Task<StoredPreference> SetAsync(string userId, string text, float weight, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        string trimmed = PreferenceText.Validate(text, weight);
        long now = _time.GetUtcNow().UtcTicks;
        IReadOnlyList<StoredPreference> stored = await WriteAsync(userId, batch =>
        {
            batch.BatchCommands.Add(Command(
                $"""
                INSERT INTO padkernel_preferences (id, user_id, text, normalized, weight, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $6)
                ON CONFLICT (user_id, normalized) DO UPDATE SET text = excluded.text, weight = excluded.weight, updated_at = excluded.updated_at
                RETURNING {Columns};
                """,
                Guid.NewGuid().ToString("N"), userId, trimmed, PreferenceText.Normalize(trimmed), weight, now));
        }, cancellationToken).ConfigureAwait(false);
        return stored.Count == 1 ? stored[0] : throw new PadKernelException("The preference database returned no row for an upsert.");
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredPreference>> ReplaceAsync(string userId, IReadOnlyList<Preference> preferences, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        IReadOnlyList<NormalizedPreference> wanted = PreferenceText.ValidateList(preferences);
        long now = _time.GetUtcNow().UtcTicks;
        string[] keys = [.. wanted.Select(p => p.Key)];
        return await WriteAsync(userId, batch =>
        {
            batch.BatchCommands.Add(Command("DELETE FROM padkernel_preferences WHERE user_id = $1 AND NOT (normalized = ANY($2));", userId, keys));

            // One statement for the whole list; WITH ORDINALITY keeps the given order for new items' sequence numbers.
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO padkernel_preferences (id, user_id, text, normalized, weight, created_at, updated_at)
                SELECT t.id, $1, t.text, t.normalized, t.weight, $6, $6
                FROM unnest($2::text[], $3::text[], $4::text[], $5::real[]) WITH ORDINALITY AS t(id, text, normalized, weight, n)
                ORDER BY t.n
                ON CONFLICT (user_id, normalized) DO UPDATE SET text = excluded.text, weight = excluded.weight, updated_at = excluded.updated_at;
                """,
                userId,
                wanted.Select(_ => Guid.NewGuid().ToString("N")).ToArray(),
                wanted.Select(p => p.Text).ToArray(),
                keys,
                wanted.Select(p => p.Weight).ToArray(),
                now));
            batch.BatchCommands.Add(Command($"SELECT {Columns} FROM padkernel_preferences WHERE user_id = $1 ORDER BY created_at, seq;", userId));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> RemoveAsync(string userId, string idOrText, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        PreferenceText.ValidateIdOrText(idOrText);
        IReadOnlyList<StoredPreference> removed = await WriteAsync(userId, batch => batch.BatchCommands.Add(Command(
            $"DELETE FROM padkernel_preferences WHERE user_id = $1 AND (id = $2 OR normalized = $3) RETURNING {Columns};",
            userId, idOrText, PreferenceText.Normalize(idOrText))), cancellationToken).ConfigureAwait(false);
        return removed.Count > 0;
    }

    /// <inheritdoc/>
    public async Task<int> ClearAsync(string userId, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        IReadOnlyList<StoredPreference> removed = await WriteAsync(userId, batch => batch.BatchCommands.Add(Command(
            $"DELETE FROM padkernel_preferences WHERE user_id = $1 RETURNING {Columns};", userId)), cancellationToken).ConfigureAwait(false);
        return removed.Count;
    }

    /// <summary>Stops listening for changes and closes the store's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening for changes and closes the store's connections.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Runs the commands <paramref name="addCommands"/> adds as one transaction, after the user's advisory lock and
    /// before a <c>NOTIFY</c> (delivered at commit); returns the rows of the last command that returns preferences; evicts the user's cached list.
    /// </summary>
    private async Task<IReadOnlyList<StoredPreference>> WriteAsync(string userId, Action<NpgsqlBatch> addCommands, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            IReadOnlyList<StoredPreference> rows = await WriteInTransactionAsync(userId, addCommands, cancellationToken).ConfigureAwait(false);
            _cache.Evict(userId);
            return rows;
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    private async Task<IReadOnlyList<StoredPreference>> WriteInTransactionAsync(string userId, Action<NpgsqlBatch> addCommands, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredPreference> rows;
        await using (NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlBatch batch = new(connection, transaction);
            batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock($1, hashtext($2));", UserLockClass, userId));
            batch.BatchCommands.Add(Command("SELECT pg_notify($1, $2);", _channel, NotificationPayload(userId)));
            addCommands(batch);
            await using (NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                // The lock and the notify return one void column each; the rows are those of the last command with our columns.
                rows = [];
                do
                {
                    if (reader.FieldCount == ColumnCount)
                    {
                        rows = await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false);
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return rows;
    }

    // A server that is down, refusing, shutting down, full or timing out; a cancelled call or an error in a statement
    // keeps its own type.
    private static bool IsUnavailable(Exception e, CancellationToken cancellationToken) => !cancellationToken.IsCancellationRequested && e switch
    {
        TimeoutException => true,
        PostgresException server => server.SqlState.StartsWith("08", StringComparison.Ordinal) || server.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException => true,
        _ => false,
    };

    private PreferenceStoreUnavailableException Unavailable(Exception e) =>
        new($"The PostgreSQL preference store at {Database} is unavailable: {e.Message}", e);

    // A NOTIFY payload is limited to 8000 bytes; a longer user id asks every listener to evict everything.
    private static string NotificationPayload(string userId) => System.Text.Encoding.UTF8.GetByteCount(userId) < 7000 ? userId : "";

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (object value in values)
        {
            command.Parameters.Add(value is string[] texts
                ? new NpgsqlParameter { Value = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
                : new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static async Task<IReadOnlyList<StoredPreference>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredPreference>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<StoredPreference>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoredPreference(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFloat(2),
                new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero)));
        }

        return rows.AsReadOnly();
    }

    /// <summary>Creates or migrates the tables; returns the schema they live in (the connection's search path).</summary>
    private string Migrate()
    {
        using NpgsqlConnection connection = _dataSource.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();

        // Replicas starting together queue here; the first creates the tables, the others find them.
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock});");
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS padkernel_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL);");
        using (NpgsqlCommand read = new("SELECT version FROM padkernel_schema WHERE id = 1;", connection, transaction))
        {
            int version = read.ExecuteScalar() is int v ? v : 0;
            if (version > SchemaVersion)
            {
                throw new PadKernelException($"The PostgreSQL preference store at {Database} has schema version {version}, newer than this PadKernel's {SchemaVersion}; upgrade PadKernel.");
            }

            if (version < 1)
            {
                Execute(connection, transaction, """
                    CREATE TABLE IF NOT EXISTS padkernel_preferences (
                        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        id         text   NOT NULL UNIQUE,
                        user_id    text   NOT NULL,
                        text       text   NOT NULL,
                        normalized text   NOT NULL,
                        weight     real   NOT NULL,
                        created_at bigint NOT NULL,
                        updated_at bigint NOT NULL,
                        UNIQUE (user_id, normalized)
                    );
                    """);
            }

            // Later versions add their steps here: if (version < 2) { ALTER TABLE ... }
            if (version < SchemaVersion)
            {
                Execute(connection, transaction, $"INSERT INTO padkernel_schema (id, version) VALUES (1, {SchemaVersion}) ON CONFLICT (id) DO UPDATE SET version = excluded.version;");
            }
        }

        using NpgsqlCommand current = new("SELECT current_schema();", connection, transaction);
        string schema = current.ExecuteScalar() as string ?? "public";
        transaction.Commit();
        return schema;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using NpgsqlCommand command = new(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
