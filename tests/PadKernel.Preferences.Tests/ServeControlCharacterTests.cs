using System.Text.Json;

namespace PadKernel.Preferences.Tests;

/// <summary>
/// A NUL (or another control character) in what a real <c>pad serve</c> would store is a 400 naming the field, the
/// same on SQLite and PostgreSQL (PostgreSQL used to answer 500, its <c>22021</c>), and nothing is stored.
/// </summary>
public sealed class ServeControlCharacterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("padkernel-nul-").FullName;

    [Fact]
    public async Task ControlCharacters_Are400NamingTheField_OnSqlite()
    {
        using ServeReplica server = await ServeReplica.StartSqliteAsync(Path.Combine(_folder, "prefs.db"));
        await AssertRefusedAsync(server);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static async Task AssertRefusedAsync(ServeReplica server)
    {
        (string Method, string Path, string Body, string Param)[] cases =
        [
            ("PUT", "/v1/users/anonymous/preferences", """{"preferences":["A frog\u0000."]}""", "preferences[0].text"),
            ("PUT", "/v1/users/anonymous/preferences", """{"preferences":["Fine.",{"text":"Bell\u0007.","weight":2}]}""", "preferences[1].text"),
            ("POST", "/v1/chat/completions", """{"model":"stories260K","messages":[{"role":"user","content":"Hi"}],"pad":{"preferences":["A frog\u0000."]}}""", "pad.preferences[0].text"),
            ("POST", "/v1/chat/completions", """{"model":"stories260K","messages":[{"role":"user","content":"Hi"}],"user":"ali\u0000ce"}""", "user"),
        ];
        foreach ((string method, string path, string body, string param) in cases)
        {
            (int status, JsonElement answer) = await server.SendAsync(new HttpMethod(method), path, body, apiKey: ServeReplica.AdminKey);
            Assert.True(status == 400, $"{method} {path} {body}: {status} {answer}");
            JsonElement error = answer.GetProperty("error");
            Assert.Equal(param, error.GetProperty("param").GetString());
            Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        }

        Assert.Empty(await server.PreferencesAsync());
    }
}

/// <summary>The same on PostgreSQL.</summary>
[RequiresPostgres]
public sealed class ServeControlCharacterPostgresTests : IDisposable
{
    private readonly PostgresTestDatabase? _database = PostgresTestDatabase.Available ? new PostgresTestDatabase() : null;

    [StoreFact]
    public async Task ControlCharacters_Are400NamingTheField_OnPostgres()
    {
        using ServeReplica server = await ServeReplica.StartAsync(_database!.ConnectionString, maxStalenessSeconds: 2);
        await ServeControlCharacterTests.AssertRefusedAsync(server);
    }

    public void Dispose() => _database?.Dispose();
}
