using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PadKernel.Alignment;
using PadKernel.Preferences;

namespace PadKernel.Server.Tests;

/// <summary>A preference database that is down is the server's temporary failure: 503 with Retry-After and OpenAI's error JSON, never a 500 or a 400.</summary>
public sealed class StoreUnavailableTests
{
    [Theory]
    [InlineData("GET", "/v1/users/alice/preferences", null)]
    [InlineData("PUT", "/v1/users/alice/preferences", """{"preferences":["The story is sad."]}""")]
    [InlineData("DELETE", "/v1/users/alice/preferences", null)]
    [InlineData("POST", "/v1/chat/completions", """{"model":"stories260K","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":8}""")]
    public async Task A_store_that_cannot_be_reached_is_a_503(string method, string path, string? json)
    {
        await using ServerHost host = await ServerHost.StartAsync(services: s =>
        {
            s.RemoveAll<IPreferenceStore>();
            s.AddSingleton<IPreferenceStore>(new UnreachableStore());
        });

        (int status, JsonElement body, HttpResponseMessage response) = await host.SendAsync(new HttpMethod(method), path, ServerHost.AliceKey, json);

        Assert.Equal((int)HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("service_unavailable", body.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("db.internal", body.GetProperty("error").GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    // Stands in for a store whose database is down (every call fails the way PostgresPreferenceStore reports it).
    private sealed class UnreachableStore : IPreferenceStore
    {
        private static PreferenceStoreUnavailableException Down() => new("The PostgreSQL preference store at db.internal:5432/pad is unavailable: connection refused");

        public Task<IReadOnlyList<StoredPreference>> ListAsync(string userId, CancellationToken cancellationToken = default) => throw Down();

        public Task<StoredPreference> SetAsync(string userId, string text, float weight, CancellationToken cancellationToken = default) => throw Down();

        public Task<IReadOnlyList<StoredPreference>> ReplaceAsync(string userId, IReadOnlyList<Preference> preferences, CancellationToken cancellationToken = default) => throw Down();

        public Task<bool> RemoveAsync(string userId, string idOrText, CancellationToken cancellationToken = default) => throw Down();

        public Task<int> ClearAsync(string userId, CancellationToken cancellationToken = default) => throw Down();
    }
}
