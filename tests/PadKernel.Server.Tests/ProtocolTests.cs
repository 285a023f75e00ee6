using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PadKernel.Server.Tests;

/// <summary>The wire format itself, read with a plain HttpClient: chunks, [DONE], errors, models, health.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Stream_IsOpenAIsChunkFormat_EndingWithUsageAndDone()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        string body = $$$"""{"model":"{{{host.ModelId}}}","messages":[{"role":"user","content":"The dog"}],"max_tokens":20,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}""";
        using HttpResponseMessage response = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);

        string raw = await response.Content.ReadAsStringAsync();
        string[] events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);

        JsonElement[] chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        string id = chunks[0].GetProperty("id").GetString()!;
        foreach (JsonElement chunk in chunks)
        {
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal(id, chunk.GetProperty("id").GetString());
            Assert.Equal(host.ModelId, chunk.GetProperty("model").GetString());
            Assert.True(chunk.GetProperty("created").GetInt64() > 0);
            Assert.True(chunk.TryGetProperty("usage", out _), "with include_usage every chunk carries usage (null until the last)");
        }

        // First chunk: the role; middle chunks: text; then finish_reason; then usage with no choices.
        JsonElement first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("assistant", first.GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("finish_reason").ValueKind);
        JsonElement last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(20, last.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        JsonElement finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("length", finish.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, chunks[^2].GetProperty("usage").ValueKind);

        string text = string.Concat(chunks[1..^2].Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        (int status, JsonElement whole, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body.Replace("\"stream\":true", "\"stream\":false", StringComparison.Ordinal));
        Assert.Equal(200, status);
        Assert.Equal("chat.completion", whole.GetProperty("object").GetString());
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), text);
    }

    [Fact]
    public async Task StreamWithoutIncludeUsage_HasNoUsageField()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        string body = $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"The dog"}],"max_tokens":5,"stream":true}""";
        using HttpResponseMessage response = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body));
        string raw = await response.Content.ReadAsStringAsync();
        string[] events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.False(JsonDocument.Parse(e[6..]).RootElement.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task StopSequence_EndsWithStop_AndIsNotReturned()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        string body = $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":60,"temperature":0,"stop":"Lily"}""";
        (int status, JsonElement json, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body);
        Assert.Equal(200, status);
        JsonElement choice = json.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        string text = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.DoesNotContain("Lily", text, StringComparison.Ordinal);

        (int plainStatus, JsonElement plain, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body.Replace(",\"stop\":\"Lily\"", "", StringComparison.Ordinal));
        Assert.Equal(200, plainStatus);
        string whole = plain.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.StartsWith(text + "Lily", whole, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsAndHealth()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement models, _) = await host.SendAsync(HttpMethod.Get, "/v1/models", ServerHost.BobKey);
        Assert.Equal(200, status);
        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Equal(host.ModelId, models.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal("model", models.GetProperty("data")[0].GetProperty("object").GetString());

        (int healthStatus, JsonElement health, _) = await host.SendAsync(HttpMethod.Get, "/health", null);
        Assert.Equal(200, healthStatus);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("active_generations").GetInt32());
    }

    [Fact]
    public async Task UnknownModelAndEndpoint_Are404InOpenAIsErrorShape()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(404, status);
        AssertError(error, "invalid_request_error", "model", "model_not_found");

        // Written as OpenAI writes it: quotes and non-ASCII text unescaped.
        using HttpResponseMessage raw = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            """{"model":"gpt-4o-é","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Contains("'gpt-4o-é'", await raw.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        (int unknownStatus, JsonElement unknown, _) = await host.SendAsync(HttpMethod.Get, "/v1/embeddings", ServerHost.AliceKey);
        Assert.Equal(404, unknownStatus);
        AssertError(unknown, "invalid_request_error", null, "unknown_url");
    }

    internal static void AssertError(JsonElement body, string type, string? param, string? code)
    {
        JsonElement error = body.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").ValueKind == JsonValueKind.Null ? null : error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").ValueKind == JsonValueKind.Null ? null : error.GetProperty("code").GetString());
    }
}
