using Microsoft.Data.Sqlite;
using PadKernel.Preferences.Sqlite;

namespace PadKernel.Preferences.Tests;

/// <summary><c>kill -9</c> of a real <c>pad serve</c> process on its SQLite file: nothing acknowledged is lost, no list is half written.</summary>
public sealed class ServeSqliteKillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("padkernel-kill-").FullName;

    [Fact]
    public async Task Kill_9_during_PUTs_leaves_the_old_or_the_new_list_in_the_file()
    {
        string database = Path.Combine(_folder, "prefs.db");
        using (ServeReplica server = await ServeReplica.StartSqliteAsync(database))
        {
            (int status, _) = await server.SendAsync(HttpMethod.Put, "/v1/users/anonymous/preferences", """{"preferences":["The story is about a dog named Max."]}""");
            Assert.Equal(200, status);
            server.Kill();
        }

        Assert.Equal(["The story is about a dog named Max."], await TextsAsync(database));

        // Three kills in the middle of a stream of replacements (the unfixed server left a half list about one time in three).
        for (int round = 0; round < 3; round++)
        {
            using ServeReplica server = await ServeReplica.StartSqliteAsync(database);
            (string[] first, string[] second) = await ServeReplicaTests.PutTwoListsUntilKilledAsync(server);
            string[] stored = await TextsAsync(database);
            Assert.True(stored.SequenceEqual(first) || stored.SequenceEqual(second), $"half-written list after kill {round + 1}: {string.Join(" | ", stored)}");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<string[]> TextsAsync(string database) =>
        [.. (await new SqlitePreferenceStore(database).ListAsync("anonymous")).Select(p => p.Text)];
}
