using System.Text.Json;
using OpenAI.Chat;

namespace PadKernel.Server.Tests;

/// <summary>A client from another ecosystem: npm's official <c>openai</c> package, streaming, from a node script.</summary>
public sealed class NodeClientTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("The story is about a dog named Max.")]
    public async Task NodeOpenAIClient_Streams_TheSameAnswerAsTheDotNetSdk(string? preference)
    {
        await using ServerHost host = await ServerHost.StartAsync();
        const string Prompt = "Once upon a time";

        var options = new ChatCompletionOptions { MaxOutputTokenCount = 40, Temperature = 0 };
        if (preference is not null)
        {
            options.Patch.Set("$.pad"u8, BinaryData.FromString(JsonSerializer.Serialize(new { preferences = new[] { new { text = preference, weight = 1.0 } } })));
        }

        string expected = (await host.OpenAIChat(ServerHost.BobKey).CompleteChatAsync([new UserChatMessage(Prompt)], options)).Value.Content[0].Text;

        List<string> args = [new Uri(host.BaseUri, "/v1").ToString(), ServerHost.BobKey, host.ModelId, Prompt, "40"];
        if (preference is not null)
        {
            args.Add(preference);
        }

        JsonElement result = await RunNodeAsync("openai-chat-stream.mjs", args);
        Assert.Equal(expected, result.GetProperty("text").GetString());
        Assert.Equal("length", result.GetProperty("finish_reason").GetString());
        Assert.Equal(40, result.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(result.GetProperty("chunks").GetInt32() > 3);
    }

    private static async Task<JsonElement> RunNodeAsync(string script, IEnumerable<string> args) =>
        JsonDocument.Parse(await NodeScript.RunAsync(script, "openai", null, [.. args])).RootElement.Clone();
}
