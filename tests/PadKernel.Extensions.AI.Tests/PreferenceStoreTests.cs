using Microsoft.Data.Sqlite;
using PadKernel.Preferences;
using PadKernel.Preferences.Sqlite;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>The IPreferenceStore contract, run against every implementation.</summary>
public abstract class PreferenceStoreContract
{
    protected abstract IPreferenceStore Store { get; }

    [Fact]
    public async Task Set_list_update_remove_and_clear()
    {
        StoredPreference first = await Store.SetAsync("alice", "Keep answers short.", 1f);
        StoredPreference second = await Store.SetAsync("alice", "Use simple words.", 0.5f);
        Assert.Equal(["Keep answers short.", "Use simple words."], (await Store.ListAsync("alice")).Select(p => p.Text));

        // The same text (case and surrounding space aside) updates the weight and keeps the id and creation time.
        StoredPreference updated = await Store.SetAsync("alice", "  keep ANSWERS short. ", 2f);
        Assert.Equal(first.Id, updated.Id);
        Assert.Equal(2f, updated.Weight);
        Assert.Equal(first.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= first.UpdatedAt);
        Assert.Equal(2, (await Store.ListAsync("alice")).Count);

        Assert.True(await Store.RemoveAsync("alice", second.Id));
        Assert.False(await Store.RemoveAsync("alice", second.Id));
        Assert.True(await Store.RemoveAsync("alice", "KEEP answers short."));
        Assert.Empty(await Store.ListAsync("alice"));

        await Store.SetAsync("alice", "A", 1f);
        await Store.SetAsync("alice", "B", 1f);
        Assert.Equal(2, await Store.ClearAsync("alice"));
        Assert.Equal(0, await Store.ClearAsync("alice"));
    }

    [Fact]
    public async Task Users_are_isolated()
    {
        StoredPreference alice = await Store.SetAsync("alice", "Talk about cats.", 1f);
        await Store.SetAsync("bob", "Talk about dogs.", 1f);

        Assert.Equal(["Talk about cats."], (await Store.ListAsync("alice")).Select(p => p.Text));
        Assert.Equal(["Talk about dogs."], (await Store.ListAsync("bob")).Select(p => p.Text));

        // Bob cannot remove Alice's preference by its id or its text, nor clear hers.
        Assert.False(await Store.RemoveAsync("bob", alice.Id));
        Assert.False(await Store.RemoveAsync("bob", "Talk about cats."));
        Assert.Equal(1, await Store.ClearAsync("bob"));
        Assert.Single(await Store.ListAsync("alice"));

        // The same text for two users is two preferences.
        StoredPreference bobCats = await Store.SetAsync("bob", "Talk about cats.", 3f);
        Assert.NotEqual(alice.Id, bobCats.Id);
        Assert.Equal(1f, Assert.Single(await Store.ListAsync("alice")).Weight);
    }

    [Fact]
    public async Task Bad_input_is_rejected()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("", "x", 1f));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("alice", "  ", 1f));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("alice", "x", float.NaN));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("alice", new string('x', PreferenceText.MaxLength + 1), 1f));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListAsync(" "));
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SetAsync("alice", "x", 1f, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListAsync("alice", cts.Token));
    }
}

public sealed class InMemoryPreferenceStoreTests : PreferenceStoreContract
{
    protected override IPreferenceStore Store { get; } = new InMemoryPreferenceStore();
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

    [Fact]
    public async Task Preferences_survive_reopening_the_file()
    {
        StoredPreference stored = await Store.SetAsync("alice", "Keep answers short.", 0.75f);
        var reopened = new SqlitePreferenceStore(DatabasePath);
        StoredPreference read = Assert.Single(await reopened.ListAsync("alice"));
        Assert.Equal(stored, read);
    }

    [Fact]
    public void The_file_is_in_WAL_mode_at_the_current_schema_version()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqlitePreferenceStore.SchemaVersion, Scalar(connection, "PRAGMA user_version;"));
    }

    [Fact]
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

    [Fact]
    public async Task Parallel_writers_on_one_file_lose_nothing()
    {
        // Four store instances (as four processes would) and 16 concurrent tasks write 25 preferences each.
        SqlitePreferenceStore[] stores = Enumerable.Range(0, 4).Select(_ => new SqlitePreferenceStore(DatabasePath)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
        {
            IPreferenceStore store = stores[writer % stores.Length];
            string user = "user" + (writer % 4);
            for (int i = 0; i < 25; i++)
            {
                await store.SetAsync(user, $"writer {writer} preference {i}", i);

                // Every writer also updates one shared preference of its user: upserts must not duplicate it.
                await store.SetAsync(user, "shared", writer);
            }
        })));

        for (int user = 0; user < 4; user++)
        {
            IReadOnlyList<StoredPreference> list = await Store.ListAsync("user" + user);
            Assert.Equal((4 * 25) + 1, list.Count);
            Assert.Single(list, p => p.Text == "shared");
            Assert.Equal(list.Count, list.Select(p => p.Id).Distinct().Count());
        }
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
