using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Models;
using PadKernel.Llama2c;
using PadKernel.Server.Generation;
using PadKernel.Text;
using PadKernel.Tokenizers;
using static PadKernel.Server.Tests.ProtocolTests;

namespace PadKernel.Server.Tests;

/// <summary>
/// Inputs a careless or hostile client sends: each ends in OpenAI's error JSON with a 4xx naming the field, never a
/// 5xx, and none of them holds the server up for anyone else.
/// </summary>
public sealed class HostileInputTests
{
    private const string Story = "Once upon a time ";

    [Theory]
    [InlineData("system", false)]
    [InlineData("developer", false)]
    [InlineData("assistant", false)]
    [InlineData("system", true)]
    [InlineData("assistant", true)]
    public async Task ConversationWithoutAUserMessage_Is400OnMessages(string role, bool stream)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            $$"""{"model":"{{host.ModelId}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"system","content":"Tell stories."},{"role":"{{role}}","content":"Once upon a time"}]}""");

        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", "messages", "invalid_value");
    }

    [Theory]
    [InlineData("\"tools\":\"all\"", "tools", "invalid_type")]
    [InlineData("\"tools\":{\"type\":\"function\"}", "tools", "invalid_type")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "tools", "unsupported_parameter")]
    [InlineData("\"pad\":{\"mode\":\"reward_model\",\"preferences\":[\"The story is sad.\"]}", "pad.mode", "invalid_value")]
    [InlineData("\"pad\":{\"mode\":\"reward_model\"}", "pad.mode", "invalid_value")]
    public async Task WrongTypeOrUnavailableFeature_Is400NamingTheField(string field, string param, string code)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"hi"}],{{field}}}""");

        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", param, code);
    }

    [Theory]
    [InlineData(HttpMethod_Put, "/v1/users/alice/preferences", """{"preferences":["A frog\u0000."]}""", "preferences[0].text")]
    [InlineData(HttpMethod_Put, "/v1/users/alice/preferences", """{"preferences":[{"text":"ok"},{"text":"Bell\u0007."}]}""", "preferences[1].text")]
    [InlineData(HttpMethod_Post, "/v1/chat/completions", """{"model":"stories260K","messages":[{"role":"user","content":"hi"}],"pad":{"preferences":["A frog\u0000."]}}""", "pad.preferences[0].text")]
    [InlineData(HttpMethod_Post, "/v1/chat/completions", """{"model":"stories260K","messages":[{"role":"user","content":"hi"}],"user":"al\u0000ice"}""", "user")]
    [InlineData(HttpMethod_Get, "/v1/users/al%01ice/preferences", null, "id")]
    public async Task ControlCharactersInAStoredString_Are400NamingTheField_AndNothingIsStored(string method, string path, string? body, string param)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, _) = await host.SendAsync(new HttpMethod(method), path, ServerHost.AdminKey, body);

        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", param, "invalid_value");
        Assert.Contains("control character", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        (_, JsonElement list, _) = await host.SendAsync(HttpMethod.Get, "/v1/users/alice/preferences", ServerHost.AdminKey);
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
    }

    private const string HttpMethod_Get = "GET";
    private const string HttpMethod_Put = "PUT";
    private const string HttpMethod_Post = "POST";

    [Theory]
    [InlineData("long path", 414)]
    [InlineData("NUL in path", 400)]
    [InlineData("large header", 431)]
    // Kestrel answers these before any application code runs, with an empty body (its refusals cannot be given a body:
    // aspnet/KestrelHttpServer#2947); docs/server.md lists them exactly, and this test keeps the list true.
    public async Task RequestsKestrelRefusesBeforeTheApp_GetTheDocumentedStatusAndAnEmptyBody(string what, int expected)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        using HttpRequestMessage request = host.Request(HttpMethod.Get, what switch
        {
            "long path" => "/v1/" + new string('a', 20_000),
            "NUL in path" => "/v1/users/al%00ice/preferences",
            _ => "/v1/models",
        }, ServerHost.AliceKey);
        if (what == "large header")
        {
            request.Headers.Add("X-Padding", new string('a', 40_000));
        }

        using HttpResponseMessage response = await host.Http.SendAsync(request);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.Contains($"| {expected} | (none: empty body)", await File.ReadAllTextAsync(Path.Combine(TestData.RepositoryRoot, "docs", "server.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"tool_calls\":\"all\"", "invalid_type")]
    [InlineData("\"tool_calls\":[{\"id\":\"1\"}]", "unsupported_parameter")]
    public async Task WrongToolCallsOnAMessage_Is400NamingIt(string field, string code)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ok",{{field}}},{"role":"user","content":"more"}]}""");

        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", "messages[1].tool_calls", code);
    }

    [Fact]
    public async Task EmptyOrNullToolLists_AreAccepted()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        foreach (string tools in new[] { "[]", "null" })
        {
            (int status, JsonElement body, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
                $$"""{"model":"{{host.ModelId}}","max_tokens":4,"tools":{{tools}},"messages":[{"role":"user","content":"hi","tool_calls":{{tools}}}]}""");
            Assert.Equal(200, status);
            Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        }
    }

    [Fact]
    public async Task ModelsRetrieve_ThroughTheOpenAISdk_FindsTheServedModelAnd404sOthers()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        var client = new OpenAIModelClient(new ApiKeyCredential(ServerHost.BobKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(host.BaseUri, "/v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });

        OpenAIModel model = (await client.GetModelAsync(host.ModelId)).Value;
        Assert.Equal(host.ModelId, model.Id);
        Assert.Equal("padkernel", model.OwnedBy);
        OpenAIModel listed = (await client.GetModelsAsync()).Value.Single();
        Assert.Equal(listed.CreatedAt, model.CreatedAt);

        var missing = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("gpt-4o"));
        Assert.Equal(404, missing.Status);

        foreach (string id in new[] { "gpt-4o", "org/some-model", "stories260k" })
        {
            (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Get, "/v1/models/" + id, ServerHost.BobKey);
            Assert.Equal(404, status);
            AssertError(error, "invalid_request_error", "model", "model_not_found");
        }

        (int anonymous, _, _) = await host.SendAsync(HttpMethod.Get, "/v1/models/" + host.ModelId, null);
        Assert.Equal(401, anonymous);
    }

    [Theory]
    [InlineData("GET", "/nothing", null)]
    [InlineData("POST", "/health", null)]
    [InlineData("GET", "/v1/chat/completions", ServerHost.AliceKey)]
    [InlineData("DELETE", "/v1/models", ServerHost.AliceKey)]
    [InlineData("POST", "/v1/models/stories260K", ServerHost.AliceKey)]
    public async Task UnknownPathsAndMethods_Are404Json(string method, string path, string? key)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, JsonElement error, HttpResponseMessage response) = await host.SendAsync(new HttpMethod(method), path, key);

        Assert.Equal(404, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        AssertError(error, "invalid_request_error", null, "unknown_url");
    }

    [Fact]
    public async Task MegabytePrompts_AreRefusedUntokenized_WhileASmallRequestIsServed()
    {
        // The body limit at its default (1 MiB); every big prompt is just under it.
        await using ServerHost host = await ServerHost.StartAsync(s =>
        {
            s["PadServer:Limits:MaxRequestBodyBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["PadServer:Limits:MaxPromptTokens"] = "4096";
        });
        string huge = string.Concat(Enumerable.Repeat(Story, (1000 * 1024) / Story.Length));
        string hugeBody = $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"{{huge}}"}]}""";
        string hugeStream = $$"""{"model":"{{host.ModelId}}","stream":true,"messages":[{"role":"system","content":"{{huge}}"},{"role":"user","content":"Go on."}]}""";

        var big = Enumerable.Range(0, 8).Select(i => host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, i % 2 == 0 ? hugeBody : hugeStream)).ToList();
        (int smallStatus, JsonElement small, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.BobKey,
            $$"""{"model":"{{host.ModelId}}","max_tokens":8,"messages":[{"role":"user","content":"Once upon a time"}]}""");

        Assert.Equal(200, smallStatus);
        Assert.NotEmpty(small.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
        foreach ((int status, JsonElement error, _) in await Task.WhenAll(big))
        {
            Assert.Equal(400, status);
            AssertError(error, "invalid_request_error", "messages", "context_length_exceeded");
            string message = error.GetProperty("error").GetProperty("message").GetString()!;
            Assert.StartsWith("The messages hold at least ", message, StringComparison.Ordinal);
            Assert.Contains("context length is 512", message, StringComparison.Ordinal);
        }

        // None of the megabyte prompts reached the tokenizer: the longest text it saw is the small request's.
        Assert.InRange(host.Model.LongestEncodedText, 1, 1024);
        await host.WaitForHealthAsync(h => h.GetProperty("active_generations").GetInt32() == 0);
    }

    [Fact]
    public async Task APromptThePrecheckPasses_IsCountedInTheSlot_AndARefusalIsNoGeneration()
    {
        // 128 prompt tokens allowed: ~1,000 bytes of story text pass the byte bound but are ~250 tokens.
        await using ServerHost host = await ServerHost.StartAsync();
        string prompt = string.Join(' ', Enumerable.Repeat("Once upon a time there was a dog.", 30));
        (int status, JsonElement error, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            $$"""{"model":"{{host.ModelId}}","stream":true,"messages":[{"role":"user","content":"{{prompt}}"}]}""");

        Assert.Equal(400, status);
        AssertError(error, "invalid_request_error", "messages", "context_length_exceeded");
        string message = error.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Matches("^The messages hold [0-9]+ tokens; this server accepts at most 128 prompt tokens\\.$", message);

        JsonElement health = await host.WaitForHealthAsync(h => h.GetProperty("active_generations").GetInt32() == 0);
        Assert.Equal(0, health.GetProperty("completed_generations").GetInt64());
        Assert.Equal(0, health.GetProperty("cancelled_generations").GetInt64());
    }

    [Fact]
    public async Task APromptThatFitsIsNeverRefusedByThePrecheck()
    {
        // The story model's context is 512 tokens: a prompt of its longest pieces, as many as fit, is served.
        await using ServerHost host = await ServerHost.StartAsync(s => s["PadServer:Limits:MaxPromptTokens"] = "4096");
        var tokenizer = Llama2cTokenizer.Load(Path.Combine(TestData.StoriesFolder, "tok512.bin"));
        int longest = Enumerable.Range(3, tokenizer.VocabularySize - 3).MaxBy(id => tokenizer.GetTokenBytes(id, id).Length);
        string piece = Encoding.UTF8.GetString(tokenizer.GetTokenBytes(longest, longest));

        // The densest text there is (every token as long as a token gets), as long as leaves room for 4 new tokens.
        string prompt = piece;
        for (int repeat = 2; 1 + TokenizerExtensions.Encode(tokenizer, string.Concat(Enumerable.Repeat(piece, repeat))).Count <= 500; repeat++)
        {
            prompt = string.Concat(Enumerable.Repeat(piece, repeat));
        }

        int tokens = 1 + TokenizerExtensions.Encode(tokenizer, prompt).Count;
        Assert.InRange(tokens, 400, 500);

        (int status, JsonElement body, _) = await host.SendAsync(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey,
            JsonSerializer.Serialize(new { model = host.ModelId, max_tokens = 4, messages = new[] { new { role = "user", content = prompt } } }));

        Assert.Equal(200, status);
        Assert.Equal(tokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Theory]
    [InlineData("stories260K", "tok512.bin")]
    [InlineData("stories260K-onnx", "")]
    [InlineData("ort-tiny-random-gpt2", "")]
    public void TheLengthBound_NeverExceedsTheRealTokenCount(string model, string file)
    {
        // The llama2.c tokenizer, a SentencePiece tokenizer.json (Metaspace) and a byte-level one (GPT-2).
        string path = Path.Combine(TestData.Model(model), file);
        ITokenizer tokenizer = path.EndsWith(".bin", StringComparison.Ordinal) ? Llama2cTokenizer.Load(path) : HuggingFaceTokenizer.Load(path);
        int longest = Enumerable.Range(0, tokenizer.VocabularySize).MaxBy(id => tokenizer.GetTokenBytes(id, id).Length);
        string densest = string.Concat(Enumerable.Repeat(Encoding.UTF8.GetString(tokenizer.GetTokenBytes(longest, longest)), 300));
        var random = new Random(11);
        string[] texts =
        [
            "", " ", "\n\n\n\n", Story, new string(' ', 3000), string.Concat(Enumerable.Repeat("Lily and Ben ", 200)), densest,
            "한국어 텍스트 🙂🙂🙂 ü é ñ", new string('\u1100', 50) + new string('\u1161', 50), "𝐀𝐁𝐂", "\ud800 lone surrogate",
            new string(Enumerable.Range(0, 4000).Select(_ => (char)random.Next(32, 127)).ToArray()),
        ];
        foreach (string text in texts)
        {
            long bound = TokenCountBound.MinimumTokens(tokenizer, Encoding.UTF8.GetByteCount(text));
            Assert.True(bound <= TokenizerExtensions.Encode(tokenizer, text).Count, $"bound {bound} for a text of {text.Length} characters");
        }
    }

    [Fact]
    public async Task MalformedChunkedBody_Is400Json_Not500()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.BaseUri.Port);
        await using NetworkStream stream = tcp.GetStream();
        string request =
            "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n" +
            $"Authorization: Bearer {ServerHost.AliceKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5\r\n{\"mod\r\nZZZ-not-a-chunk-size\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        string json = response[response.IndexOf('{', StringComparison.Ordinal)..(response.LastIndexOf('}') + 1)];
        AssertError(JsonDocument.Parse(json).RootElement, "invalid_request_error", null, "bad_request");
    }
}
