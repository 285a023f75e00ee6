using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static PadKernel.Server.Tests.ProtocolTests;

namespace PadKernel.Server.Tests;

/// <summary>Configured limits and malformed bodies: 413, 400 naming the field, 429 with Retry-After.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task BodyOverTheLimit_Is413()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        string big = new('a', 20_000);
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"{{big}}"}]}""");
        Assert.Equal(413, status);
        AssertError(error, "invalid_request_error", null, "request_too_large");

        // A chunked body (no Content-Length) is cut off at the limit too.
        var request = host.Request(HttpMethod.Put, "/v1/users/alice/preferences", ServerHost.AliceKey);
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"preferences":["{{big}}"]}""")));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage chunked = await host.Http.SendAsync(request);
        Assert.Equal(413, (int)chunked.StatusCode);
    }

    [Theory]
    [InlineData("\"max_tokens\":401", "max_tokens", "invalid_value")]
    [InlineData("\"max_completion_tokens\":0", "max_completion_tokens", "invalid_value")]
    [InlineData("\"temperature\":3", "temperature", "invalid_value")]
    [InlineData("\"temperature\":\"hot\"", "temperature", null)]
    [InlineData("\"top_p\":0", "top_p", "invalid_value")]
    [InlineData("\"n\":2", "n", "invalid_value")]
    [InlineData("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop", "invalid_value")]
    [InlineData("\"stop\":5", "stop", null)]
    [InlineData("\"pad\":{\"preferences\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "pad.preferences", "too_many_preferences")]
    [InlineData("\"pad\":{\"preferences\":[\"ok\",{\"text\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]}", "pad.preferences[1].text", "preference_too_long")]
    [InlineData("\"pad\":{\"preferences\":[{\"text\":\"x\",\"wieght\":2}]}", "pad.preferences", null)]
    [InlineData("\"pad\":{\"top_k\":1000}", "pad.top_k", "invalid_value")]
    [InlineData("\"pad\":{\"mode\":\"magic\"}", "pad.mode", "invalid_value")]
    [InlineData("\"pad\":{\"colour\":\"red\"}", "pad.colour", null)]
    [InlineData("\"messages\":[]", "messages", "invalid_value")]
    [InlineData("\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]", "messages[0].role", "invalid_value")]
    [InlineData("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]", "messages[0].content", null)]
    [InlineData("\"messages\":[{\"role\":\"user\"}]", "messages[0].content", "missing_required_parameter")]
    public async Task BadField_Is400NamingIt(string field, string param, string? code)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        string body = field.StartsWith("\"messages\"", StringComparison.Ordinal)
            ? $$"""{"model":"{{host.ModelId}}",{{field}}}"""
            : $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"hi"}],{{field}}}""";
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body);
        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", param, code);
    }

    [Theory]
    [InlineData("{\"model\":", "model")]
    [InlineData("[1,2]", null)]
    [InlineData("", null)]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},]}", "messages")]
    public async Task MalformedBody_Is400(string body, string? param)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body);
        Assert.Equal(400, status);
        JsonElement p = error.GetProperty("error").GetProperty("param");
        Assert.Equal(param, p.ValueKind == JsonValueKind.Null ? null : p.GetString()?.Split('[')[0]);
    }

    [Fact]
    public async Task PromptOverTheTokenLimit_Is400OnMessages()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        string longPrompt = string.Join(' ', Enumerable.Repeat("Once upon a time there was a dog.", 30));
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"{{longPrompt}}"}],"max_tokens":5}""");
        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", "messages", "context_length_exceeded");
    }

    [Fact]
    public async Task PreferenceLimits_ApplyToStoredListsToo()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Put, "/v1/users/alice/preferences", ServerHost.AliceKey,
            """{"preferences":["a","b","c","d","e"]}""");
        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", "preferences", "too_many_preferences");

        (int dup, JsonElement dupError, _) = await host.SendAsync(HttpMethod.Put, "/v1/users/alice/preferences", ServerHost.AliceKey,
            """{"preferences":["Short.","short. "]}""");
        Assert.Equal(400, dup);
        AssertError(dupError, "invalid_request_error", "preferences[1].text", "duplicate_preference");
    }

    [Fact]
    public async Task OverTheConcurrencyAndQueueBound_Is429WithRetryAfter()
    {
        await using ServerHost host = await ServerHost.StartAsync(
            c =>
            {
                c["PadServer:Limits:MaxConcurrentGenerations"] = "1";
                c["PadServer:Limits:MaxQueuedGenerations"] = "1";
                c["PadServer:Limits:RetryAfterSeconds"] = "3";
            },
            throttle: TimeSpan.FromMilliseconds(50));
        string body = $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":200,"stream":true}""";

        // One runs, one waits in the queue, the third is refused at once.
        using HttpResponseMessage running = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)running.StatusCode);
        Task<HttpResponseMessage> queued = host.Http.SendAsync(host.Request(HttpMethod.Post, "/v1/chat/completions", ServerHost.BobKey, body), HttpCompletionOption.ResponseHeadersRead);
        await host.WaitForHealthAsync(h => h.GetProperty("queued_generations").GetInt64() == 1);

        (int status, JsonElement error, HttpResponseMessage refused) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body);
        Assert.Equal(429, status);
        AssertError(error, "rate_limit_error", null, "rate_limit_exceeded");
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter!.Delta);

        // The queued request is served once the running one ends.
        running.Dispose();
        using HttpResponseMessage served = await queued;
        Assert.Equal(200, (int)served.StatusCode);
        Assert.EndsWith("data: [DONE]\n\n", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
