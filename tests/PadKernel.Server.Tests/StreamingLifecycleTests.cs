using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;

namespace PadKernel.Server.Tests;

/// <summary>Disconnects, concurrency and shutdown.</summary>
public sealed class StreamingLifecycleTests
{
    [Fact]
    public async Task ClientDisconnectMidStream_CancelsTheGeneration_FreesItsSequences_AndTheServerGoesOn()
    {
        await using ServerHost host = await ServerHost.StartAsync(throttle: TimeSpan.FromMilliseconds(30));
        string body = $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":400,"stream":true}""";
        using (HttpResponseMessage response = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body), HttpCompletionOption.ResponseHeadersRead))
        {
            Stream stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            int contentChunks = 0;
            while (contentChunks < 3 && await reader.ReadLineAsync() is string line)
            {
                contentChunks += line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal) ? 1 : 0;
            }

            Assert.Equal(3, contentChunks);
            Assert.Equal(1, (await host.WaitForHealthAsync(_ => true)).GetProperty("active_generations").GetInt32());
            Assert.True(host.Model.LiveSequences > 0);
        }

        // 400 tokens at 30 ms would take 12 s; the disconnect ends it long before, and frees the model's sequences.
        JsonElement health = await host.WaitForHealthAsync(h => h.GetProperty("active_generations").GetInt32() == 0);
        Assert.Equal(1, health.GetProperty("cancelled_generations").GetInt64());
        Assert.Equal(0, health.GetProperty("completed_generations").GetInt64());
        for (int i = 0; i < 100 && host.Model.LiveSequences > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, host.Model.LiveSequences);

        ChatCompletion next = await host.OpenAIChat(ServerHost.AliceKey).CompleteChatAsync([new UserChatMessage("The dog")], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
        Assert.Equal(5, next.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task ThirtyTwoConcurrentStreams_EqualTheSameRequestsRunOneAtATime()
    {
        await using ServerHost host = await ServerHost.StartAsync(c => c["PadServer:Limits:MaxConcurrentGenerations"] = "8");
        string[] prompts = ["Once upon a time", "The dog", "Lily went to the park", "Tom had a red ball"];
        string?[] preferences = [null, "The story is about a dog named Max.", "The story is sad. Everyone cried.", "They ate cake and candy."];
        var requests = Enumerable.Range(0, 32).Select(i => (Prompt: prompts[i % 4], Preference: preferences[i / 4 % 4], Key: i % 2 == 0 ? ServerHost.AliceKey : ServerHost.BobKey)).ToArray();

        async Task<string> RunAsync((string Prompt, string? Preference, string Key) r)
        {
            var options = new ChatCompletionOptions { MaxOutputTokenCount = 48, Temperature = 0 };
            if (r.Preference is not null)
            {
                options.Patch.Set("$.pad"u8, BinaryData.FromString(JsonSerializer.Serialize(new { preferences = new[] { new { text = r.Preference, weight = 2.0 } } })));
            }

            return await ServerHost.StreamTextAsync(host.OpenAIChat(r.Key), r.Prompt, options);
        }

        var sequential = new List<string>();
        foreach (var r in requests)
        {
            sequential.Add(await RunAsync(r));
        }

        string[] concurrent = await Task.WhenAll(requests.Select(RunAsync));
        Assert.Equal(sequential, concurrent);
        Assert.True(sequential.Distinct().Count() >= 8, "the 32 requests should not all be the same");

        JsonElement health = await host.WaitForHealthAsync(h => h.GetProperty("active_generations").GetInt32() == 0);
        Assert.Equal(64, health.GetProperty("completed_generations").GetInt64());
        Assert.Equal(0, host.Model.LiveSequences);
    }

    [Fact]
    public async Task GracefulShutdown_RefusesNewWork_AndEndsInFlightStreams()
    {
        ServerHost host = await ServerHost.StartAsync(c => c["PadServer:ShutdownDrainSeconds"] = "1", throttle: TimeSpan.FromMilliseconds(30));
        await using (host)
        {
            string body = $$"""{"model":"{{host.ModelId}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":400,"stream":true}""";
            using HttpResponseMessage response = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/v1/chat/completions", ServerHost.AliceKey, body), HttpCompletionOption.ResponseHeadersRead);
            Task<string> rest = response.Content.ReadAsStringAsync();
            await host.WaitForHealthAsync(h => h.GetProperty("active_generations").GetInt32() == 1);

            Task stopping = host.App.StopAsync();
            string streamed = await rest;
            await stopping;

            // The drain time (1 s) is far shorter than the 12 s the stream needs: it was cancelled, and said so.
            Assert.Contains("server_shutting_down", streamed, StringComparison.Ordinal);
            Assert.DoesNotContain("data: [DONE]", streamed, StringComparison.Ordinal);
            Assert.Equal(0, host.Model.LiveSequences);
        }
    }
}
