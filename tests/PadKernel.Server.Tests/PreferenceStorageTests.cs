using System.Text.Json;
using PadKernel.Server.Hosting;

namespace PadKernel.Server.Tests;

/// <summary>PUT's atomicity as clients see it, and the preference-store configuration of the host.</summary>
public sealed class PreferenceStorageTests
{
    private const string Path = "/v1/users/alice/preferences";

    [Fact]
    public async Task Concurrent_readers_and_generations_see_the_old_or_the_new_list_never_a_mix()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        string[] first = ["Keep it short.", "The story is sad.", "Use simple words.", "Talk about the sea."];
        string[] second = ["Talk about dogs.", "Make it funny."];
        static string Body(string[] list) => JsonSerializer.Serialize(new { preferences = list });
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Put, Path, ServerHost.AliceKey, Body(first))).Status);

        using var done = new CancellationTokenSource();
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < 40; i++)
            {
                (int status, _, _) = await host.SendAsync(HttpMethod.Put, Path, ServerHost.AliceKey, Body(i % 2 == 0 ? second : first));
                Assert.Equal(200, status);
            }

            await done.CancelAsync();
        });
        var seen = new List<string[]>();
        Task[] readers = [.. Enumerable.Range(0, 3).Select(reader => Task.Run(async () =>
        {
            do
            {
                (int status, JsonElement body, _) = await host.SendAsync(HttpMethod.Get, Path, ServerHost.AliceKey);
                Assert.Equal(200, status);
                string[] texts = [.. body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("text").GetString()!)];
                lock (seen)
                {
                    seen.Add(texts);
                }
            }
            while (!done.IsCancellationRequested);
        }))];
        await writer;
        await Task.WhenAll(readers);

        Assert.All(seen, texts => Assert.True(texts.SequenceEqual(first) || texts.SequenceEqual(second), string.Join(" | ", texts)));
    }

    [Fact]
    public async Task Texts_the_store_counts_as_one_are_a_400_on_preferences()
    {
        await using ServerHost host = await ServerHost.StartAsync();

        // The Kelvin sign lower-cases to "k", so the store counts these as one text; an ordinal case-insensitive check does not.
        (int status, JsonElement body, _) = await host.SendAsync(HttpMethod.Put, Path, ServerHost.AliceKey, """{"preferences":["\u212Aeep it short.","keep it short."]}""");
        Assert.Equal(400, status);
        Assert.Equal("preferences", body.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("appears twice", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await host.SendAsync(HttpMethod.Get, Path, ServerHost.AliceKey)).Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public void An_unknown_store_or_a_postgres_store_without_a_connection_string_fails_at_startup_naming_the_key()
    {
        var unknown = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => PadServerApplication.Create(
            new PadServerHostOptions { Urls = ["http://127.0.0.1:0"], AllowAnonymous = true },
            builder => builder.Configuration["PadServer:Preferences:Store"] = "mysql"));
        Assert.Contains("PadServer:Preferences:Store", string.Join(" ", unknown.Failures), StringComparison.Ordinal);

        var missing = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => PadServerApplication.Create(
            new PadServerHostOptions { Urls = ["http://127.0.0.1:0"], AllowAnonymous = true },
            builder => builder.Configuration["PadServer:Preferences:Store"] = "postgres"));
        Assert.Contains("PadServer:Preferences:ConnectionString", string.Join(" ", missing.Failures), StringComparison.Ordinal);
    }
}
