using System.Text.Json;
using static PadKernel.Server.Tests.ProtocolTests;

namespace PadKernel.Server.Tests;

/// <summary>API keys: 401 without or with a wrong key, 403 for another user's data; admin keys reach everyone.</summary>
public sealed class AuthAndIsolationTests
{
    [Fact]
    public async Task MissingOrWrongKey_Is401()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int missing, JsonElement missingBody, HttpResponseMessage response) = await host.SendAsync(HttpMethod.Get, "/v1/models", null);
        Assert.Equal(401, missing);
        AssertError(missingBody, "invalid_request_error", null, "missing_api_key");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);

        (int wrong, JsonElement wrongBody, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", "sk-nobody",
            $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(401, wrong);
        AssertError(wrongBody, "invalid_request_error", null, "invalid_api_key");
    }

    [Fact]
    public async Task AKeyReadsAndChangesOnlyItsOwnUsersPreferences()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int put, JsonElement bobList, _) = await host.SendAsync(HttpMethod.Put, "/v1/users/bob/preferences", ServerHost.BobKey,
            """{"preferences":["Keep it short.",{"text":"The story is sad.","weight":2}]}""");
        Assert.Equal(200, put);
        Assert.Equal("bob", bobList.GetProperty("user").GetString());
        Assert.Equal(2, bobList.GetProperty("data").GetArrayLength());
        Assert.Equal(2f, bobList.GetProperty("data")[1].GetProperty("weight").GetSingle());

        foreach ((HttpMethod method, string? json) in new[] { (HttpMethod.Get, (string?)null), (HttpMethod.Put, """{"preferences":[]}"""), (HttpMethod.Delete, null) })
        {
            (int status, JsonElement error, _) = await host.SendAsync(method, "/v1/users/bob/preferences", ServerHost.AliceKey, json);
            Assert.Equal(403, status);
            AssertError(error, "permission_error", null, "forbidden");
        }

        // Generating as bob with alice's key is refused: the body's user cannot override the key's user.
        (int asBob, JsonElement asBobError, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"hi"}],"user":"bob","max_tokens":5}""");
        Assert.Equal(403, asBob);
        AssertError(asBobError, "permission_error", "user", "forbidden");

        // Bob's list is untouched; alice's is her own, empty one.
        (_, JsonElement stillBob, _) = await host.SendAsync(HttpMethod.Get, "/v1/users/bob/preferences", ServerHost.BobKey);
        Assert.Equal(2, stillBob.GetProperty("data").GetArrayLength());
        (_, JsonElement alice, _) = await host.SendAsync(HttpMethod.Get, "/v1/users/alice/preferences", ServerHost.AliceKey);
        Assert.Equal(0, alice.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task AdminKey_ManagesAnyUser_AndGeneratesAsAnyUser()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int put, _, _) = await host.SendAsync(HttpMethod.Put, "/v1/users/bob/preferences", ServerHost.AdminKey,
            """{"preferences":[{"text":"The story is about a dog named Max.","weight":4}]}""");
        Assert.Equal(200, put);

        string request = $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":40,"temperature":0}""";
        (_, JsonElement asBob, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.BobKey, request);
        (_, JsonElement adminAsBob, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AdminKey, request.Replace("\"temperature\":0", "\"temperature\":0,\"user\":\"bob\"", StringComparison.Ordinal));
        (_, JsonElement adminAlone, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AdminKey, request);
        string Text(JsonElement e) => e.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.Equal(Text(asBob), Text(adminAsBob));
        Assert.NotEqual(Text(asBob), Text(adminAlone));

        (int deleted, JsonElement deletedBody, _) = await host.SendAsync(HttpMethod.Delete, "/v1/users/bob/preferences", ServerHost.AdminKey);
        Assert.Equal(200, deleted);
        Assert.Equal(1, deletedBody.GetProperty("deleted").GetInt32());
        (_, JsonElement empty, _) = await host.SendAsync(HttpMethod.Get, "/v1/users/bob/preferences", ServerHost.BobKey);
        Assert.Equal(0, empty.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Put_ReplacesTheList_KeepingIdsOfPreferencesThatStay()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (_, JsonElement first, _) = await host.SendAsync(HttpMethod.Put, "/v1/users/alice/preferences", ServerHost.AliceKey, """{"preferences":["A","B"]}""");
        string idOfB = first.GetProperty("data")[1].GetProperty("id").GetString()!;
        (_, JsonElement second, _) = await host.SendAsync(HttpMethod.Put, "/v1/users/alice/preferences", ServerHost.AliceKey, """{"preferences":[{"text":"B","weight":0.5},"C"]}""");
        JsonElement[] data = second.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["B", "C"], data.Select(d => d.GetProperty("text").GetString()!).ToArray());
        Assert.Equal(idOfB, data[0].GetProperty("id").GetString());
        Assert.Equal(0.5f, data[0].GetProperty("weight").GetSingle());
    }
}
