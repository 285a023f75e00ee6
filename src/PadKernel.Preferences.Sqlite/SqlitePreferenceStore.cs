using Microsoft.Data.Sqlite;
using PadKernel.Alignment;

namespace PadKernel.Preferences.Sqlite;

/// <summary>
/// An <see cref="IPreferenceStore"/> in a SQLite database file. The file is created when missing; the schema is
/// created or migrated on open (its version is SQLite's <c>user_version</c>); the journal is WAL, so readers never
/// block the writer; each change is one atomic statement, and writers from several threads or processes wait for the
/// lock (busy timeout) instead of failing. A new file (and the folder it needs) is created readable by its owner
/// only (0600; SQLite gives its -wal, -shm and -journal files the same mode).
/// </summary>
public sealed class SqlitePreferenceStore : IPreferenceStore
{
    /// <summary>The schema version this code writes.</summary>
    public const int SchemaVersion = 1;

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    /// <summary>Opens (creating or migrating) the store in the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="timeProvider">The clock for created/updated times; the system clock by default.</param>
    /// <exception cref="PadKernelException">The database was written by a newer version of this store, or cannot be opened.</exception>
    public SqlitePreferenceStore(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DatabasePath = Path.GetFullPath(path);
        _time = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        string? folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        CreatePrivateFile(DatabasePath);

        try
        {
            Migrate();
        }
        catch (SqliteException e)
        {
            throw new PadKernelException($"Cannot open the preference database '{DatabasePath}': {e.Message}", e);
        }
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredPreference>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ListAsync(connection, null, userId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoredPreference> SetAsync(string userId, string text, float weight, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        string trimmed = PreferenceText.Validate(text, weight);
        long now = _time.GetUtcNow().UtcTicks;
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = UpsertCommand(connection, userId, new NormalizedPreference(trimmed, PreferenceText.Normalize(trimmed), weight), now);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new PadKernelException("The preference database returned no row for an upsert.");
        }

        return Read(reader);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredPreference>> ReplaceAsync(string userId, IReadOnlyList<Preference> preferences, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        IReadOnlyList<NormalizedPreference> wanted = PreferenceText.ValidateList(preferences);
        long now = _time.GetUtcNow().UtcTicks;
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // One write transaction (BEGIN IMMEDIATE): WAL readers see the old list until it commits, then the new one.
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        await using (SqliteCommand delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            string[] keys = wanted.Select((_, i) => "$k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            delete.CommandText = keys.Length == 0
                ? "DELETE FROM preferences WHERE user_id = $user;"
                : $"DELETE FROM preferences WHERE user_id = $user AND normalized NOT IN ({string.Join(", ", keys)});";
            delete.Parameters.AddWithValue("$user", userId);
            for (int i = 0; i < keys.Length; i++)
            {
                delete.Parameters.AddWithValue(keys[i], wanted[i].Key);
            }

            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (NormalizedPreference preference in wanted)
        {
            await using SqliteCommand upsert = UpsertCommand(connection, userId, preference, now);
            upsert.Transaction = transaction;
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<StoredPreference> result = await ListAsync(connection, transaction, userId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc/>
    public async Task<bool> RemoveAsync(string userId, string idOrText, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        PreferenceText.ValidateIdOrText(idOrText);
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM preferences WHERE user_id = $user AND (id = $key OR normalized = $normalized);";
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$key", idOrText);
        command.Parameters.AddWithValue("$normalized", PreferenceText.Normalize(idOrText));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc/>
    public async Task<int> ClearAsync(string userId, CancellationToken cancellationToken = default)
    {
        PreferenceText.ValidateUserId(userId);
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM preferences WHERE user_id = $user;";
        command.Parameters.AddWithValue("$user", userId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredPreference>> ListAsync(SqliteConnection connection, SqliteTransaction? transaction, string userId, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, text, weight, created_at, updated_at FROM preferences WHERE user_id = $user ORDER BY created_at, seq;";
        command.Parameters.AddWithValue("$user", userId);
        var result = new List<StoredPreference>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(Read(reader));
        }

        return result;
    }

    // One statement: insert, or update the same user's preference with the same normalized text, atomically.
    private static SqliteCommand UpsertCommand(SqliteConnection connection, string userId, NormalizedPreference preference, long now)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO preferences (id, user_id, text, normalized, weight, created_at, updated_at)
            VALUES ($id, $user, $text, $normalized, $weight, $now, $now)
            ON CONFLICT (user_id, normalized) DO UPDATE SET text = excluded.text, weight = excluded.weight, updated_at = excluded.updated_at
            RETURNING id, text, weight, created_at, updated_at;
            """;
        command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("N"));
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$text", preference.Text);
        command.Parameters.AddWithValue("$normalized", preference.Key);
        command.Parameters.AddWithValue("$weight", (double)preference.Weight);
        command.Parameters.AddWithValue("$now", now);
        return command;
    }

    // Created before SQLite opens it, so that the file (and SQLite's -wal/-shm/-journal, which copy its mode) is private.
    private static void CreatePrivateFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; its creator chose its mode.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PadKernelException($"Cannot create the preference database '{path}': {e.Message}", e);
        }
    }

    private static StoredPreference Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (float)reader.GetDouble(2),
        new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
        new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero));

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Migrate()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");

        // BEGIN IMMEDIATE takes the write lock first, so two processes opening a new file do not both migrate it.
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        long version = (long)Scalar(connection, transaction, "PRAGMA user_version;")!;
        if (version > SchemaVersion)
        {
            throw new PadKernelException($"The preference database '{DatabasePath}' has schema version {version}, newer than this PadKernel's {SchemaVersion}; upgrade PadKernel.");
        }

        if (version < 1)
        {
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS preferences (
                    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                    id         TEXT    NOT NULL UNIQUE,
                    user_id    TEXT    NOT NULL,
                    text       TEXT    NOT NULL,
                    normalized TEXT    NOT NULL,
                    weight     REAL    NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (user_id, normalized)
                );
                """, transaction);
        }

        // Later versions add their steps here: if (version < 2) { ALTER TABLE ... }
        if (version < SchemaVersion)
        {
            Execute(connection, $"PRAGMA user_version = {SchemaVersion};", transaction);
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
