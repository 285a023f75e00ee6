using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;
using PadKernel.Preferences.Postgres;
using PadKernel.Preferences.Sqlite;

namespace PadKernel.Preferences.Tests;

public sealed class InMemoryPreferenceStoreTests : PreferenceStoreContract
{
    protected override IPreferenceStore Store { get; } = new InMemoryPreferenceStore();

    protected override IPreferenceStore OpenAnother() => Store;
}

public sealed class SqlitePreferenceStoreTests : PreferenceStoreContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("padkernel-prefs-").FullName;

    public SqlitePreferenceStoreTests()
    {
        Store = new SqlitePreferenceStore(DatabasePath);
    }

    protected override IPreferenceStore Store { get; }

    private string DatabasePath => Path.Combine(_folder, "prefs.db");

    protected override IPreferenceStore OpenAnother() => new SqlitePreferenceStore(DatabasePath);

    [StoreFact]
    public async Task Preferences_survive_reopening_the_file()
    {
        StoredPreference stored = await Store.SetAsync("alice", "Keep answers short.", 0.75f);
        var reopened = new SqlitePreferenceStore(DatabasePath);
        StoredPreference read = Assert.Single(await reopened.ListAsync("alice"));
        Assert.Equal(stored, read);
    }

    [StoreFact]
    public void The_file_is_in_WAL_mode_at_the_current_schema_version()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqlitePreferenceStore.SchemaVersion, Scalar(connection, "PRAGMA user_version;"));
    }

    [StoreFact]
    public async Task The_database_its_folder_and_its_wal_and_shm_files_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string folder = Path.Combine(_folder, "new", "data");
        string path = Path.Combine(folder, "prefs.db");
        var store = new SqlitePreferenceStore(path);
        await store.ReplaceAsync("alice", [new Preference("Keep answers short.")]);

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(Private | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        string[] files = [path, path + "-wal", path + "-shm"];
        foreach (string file in files)
        {
            Assert.True(File.Exists(file), file);
            Assert.Equal(Private, File.GetUnixFileMode(file));
        }
    }

    [StoreFact]
    public void A_database_from_a_newer_version_is_refused()
    {
        string path = Path.Combine(_folder, "newer.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            Scalar(connection, "PRAGMA user_version = 99;");
        }

        var error = Assert.Throws<PadKernelException>(() => new SqlitePreferenceStore(path));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

[RequiresPostgres]
public sealed class PostgresPreferenceStoreTests : PreferenceStoreContract, IAsyncDisposable
{
    private readonly PostgresTestDatabase? _database;
    private readonly List<PostgresPreferenceStore> _opened = [];
    private readonly PostgresPreferenceStore? _store;

    public PostgresPreferenceStoreTests()
    {
        if (PostgresTestDatabase.Available)
        {
            _database = new PostgresTestDatabase();
            _store = Open();
        }
    }

    protected override IPreferenceStore Store => _store!;

    private PostgresTestDatabase Database => _database!;

    protected override IPreferenceStore OpenAnother() => Open();

    [StoreFact]
    public async Task Replicas_starting_together_create_the_schema_once()
    {
        // A fresh schema, eight stores opened at the same moment: all succeed, and the tables exist once.
        using var fresh = new PostgresTestDatabase();
        PostgresPreferenceStore[] stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Open(fresh.ConnectionString))));
        await stores[3].SetAsync("alice", "Keep answers short.", 1f);
        Assert.Single(await stores[5].ListAsync("alice"));
        await using var connection = new NpgsqlConnection(fresh.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM padkernel_schema;", connection);
        Assert.Equal(PostgresPreferenceStore.SchemaVersion, (int)(await command.ExecuteScalarAsync())!);
    }

    [StoreFact]
    public void A_schema_from_a_newer_version_is_refused()
    {
        Database.Execute("UPDATE padkernel_schema SET version = 99;");
        var error = Assert.Throws<PadKernelException>(() => Open());
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public void An_unreachable_server_is_one_clear_error_without_the_password()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Port = 1, Password = "hunter2-secret", Timeout = 3 };
        var error = Assert.Throws<PreferenceStoreUnavailableException>(() => new PostgresPreferenceStore(builder.ConnectionString));
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Cached_reads_skip_the_database_until_MaxStaleness_has_passed()
    {
        var clock = new ManualTimeProvider();
        PostgresPreferenceStore reader = Open(staleness: TimeSpan.FromSeconds(2), clock: clock);
        await reader.Listening;
        // Written with plain SQL, which sends no notification: only the clock can make the reader read again.
        Database.Execute("INSERT INTO padkernel_preferences (id, user_id, text, normalized, weight, created_at, updated_at) VALUES ('g1', 'gina', 'Old.', 'old.', 1, 0, 0);");
        Assert.Equal("Old.", Assert.Single(await reader.ListAsync("gina")).Text);

        // A change that sends no notification stays unseen while the entry is young...
        Database.Execute("UPDATE padkernel_preferences SET text = 'New.', normalized = 'new.' WHERE user_id = 'gina';");
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal("Old.", Assert.Single(await reader.ListAsync("gina")).Text);

        // ...and is read once the entry is MaxStaleness old: the bound holds even when notifications are lost.
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("New.", Assert.Single(await reader.ListAsync("gina")).Text);
    }

    [StoreFact]
    public async Task The_cache_holds_at_most_MaxCachedUsers_users()
    {
        var clock = new ManualTimeProvider();
        var store = new PostgresPreferenceStore(new PostgresPreferenceStoreOptions { ConnectionString = Database.ConnectionString, MaxCachedUsers = 1 }, clock);
        _opened.Add(store);
        await store.Listening;
        Assert.Empty(await store.ListAsync("kim"));
        Assert.Empty(await store.ListAsync("lee"));

        // Written with plain SQL (no notification): the cached user still reads empty, the one left out reads the row.
        Database.Execute("INSERT INTO padkernel_preferences (id, user_id, text, normalized, weight, created_at, updated_at) VALUES ('k1', 'kim', 'K.', 'k.', 1, 0, 0), ('l1', 'lee', 'L.', 'l.', 1, 0, 0);");
        Assert.Empty(await store.ListAsync("kim"));
        Assert.Single(await store.ListAsync("lee"));
    }

    [StoreFact]
    public async Task A_change_through_one_store_evicts_the_others_cache_by_notification()
    {
        // The reader's clock never moves, so its cache never expires: only the NOTIFY can make it read again.
        PostgresPreferenceStore reader = Open(staleness: TimeSpan.FromHours(1), clock: new ManualTimeProvider());
        await reader.Listening;
        Assert.Empty(await reader.ListAsync("hank"));

        IReadOnlyList<StoredPreference> written = await Store.ReplaceAsync("hank", [new Preference("Talk about dogs.", 2f)]);
        Assert.Equal(written, await EventuallyAsync(() => reader.ListAsync("hank"), list => list.Count == 1));

        await Store.ClearAsync("hank");
        Assert.Empty(await EventuallyAsync(() => reader.ListAsync("hank"), list => list.Count == 0));
    }

    [StoreFact]
    public async Task A_lost_listener_connection_reconnects_and_evicts_everything()
    {
        PostgresPreferenceStore reader = Open(staleness: TimeSpan.FromHours(1), clock: new ManualTimeProvider());
        await reader.Listening;
        Assert.Empty(await reader.ListAsync("ivan"));

        // Kill every backend that is listening, as a server restart or a network cut would; then change the list.
        Database.Execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE (query ILIKE 'LISTEN%' OR query = 'SELECT 1;') AND pid <> pg_backend_pid();");
        await Store.SetAsync("ivan", "Talk about dogs.", 1f);
        Assert.Single(await EventuallyAsync(() => reader.ListAsync("ivan"), list => list.Count == 1));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (PostgresPreferenceStore store in _opened)
        {
            await store.DisposeAsync();
        }

        _database?.Dispose();
    }

    private static async Task<IReadOnlyList<StoredPreference>> EventuallyAsync(Func<Task<IReadOnlyList<StoredPreference>>> read, Func<IReadOnlyList<StoredPreference>, bool> done)
    {
        for (int i = 0; i < 300; i++)
        {
            IReadOnlyList<StoredPreference> list = await read();
            if (done(list))
            {
                return list;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The change never reached the other store.");
        return [];
    }

    private PostgresPreferenceStore Open(string? connectionString = null, TimeSpan? staleness = null, TimeProvider? clock = null)
    {
        var store = new PostgresPreferenceStore(
            new PostgresPreferenceStoreOptions
            {
                ConnectionString = connectionString ?? Database.ConnectionString,
                MaxStaleness = staleness ?? PostgresPreferenceStoreOptions.DefaultMaxStaleness,
            },
            clock);
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }
}

[RequiresPostgres]
public sealed class PostgresDependencyInjectionTests : IDisposable
{
    private readonly PostgresTestDatabase? _database = PostgresTestDatabase.Available ? new PostgresTestDatabase() : null;

    [StoreFact]
    public async Task UsePostgresPreferences_registers_one_store_that_the_provider_disposes()
    {
        var services = new ServiceCollection();
        PadKernelBuilder builder = services.AddPadKernel();
        builder.UsePostgresPreferences(_database!.ConnectionString, o => o.MaxStaleness = TimeSpan.FromSeconds(1));
        PostgresPreferenceStore store;
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            store = Assert.IsType<PostgresPreferenceStore>(provider.GetRequiredService<IPreferenceStore>());
            Assert.Same(store, provider.GetRequiredService<IPreferenceStore>());
            await store.SetAsync("alice", "Keep answers short.", 1f);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListAsync("bob"));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.UsePostgresPreferences(_database.ConnectionString, o => o.MaxStaleness = TimeSpan.FromSeconds(-1)));
    }

    public void Dispose() => _database?.Dispose();
}
