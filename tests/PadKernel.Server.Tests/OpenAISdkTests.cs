using System.ClientModel;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using SdkFinishReason = OpenAI.Chat.ChatFinishReason;

namespace PadKernel.Server.Tests;

/// <summary>The official OpenAI .NET SDK against a running server; every answer must equal the chat connector's own.</summary>
public sealed class OpenAISdkTests
{
    private const string Prompt = "Once upon a time";
    private const string Max = "The story is about a dog named Max.";

    [Fact]
    public async Task NonStreaming_EqualsTheChatConnectorsAnswer()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        ChatCompletion completion = await host.OpenAIChat(ServerHost.AliceKey).CompleteChatAsync(
            [new UserChatMessage(Prompt)], new ChatCompletionOptions { MaxOutputTokenCount = 40, Temperature = 0 });

        ChatResponse expected = await host.Direct().GetResponseAsync([new AIChatMessage(AIChatRole.User, Prompt)], Greedy(40));
        Assert.NotEmpty(expected.Text);
        Assert.Equal(expected.Text, completion.Content[0].Text);
        Assert.Equal(SdkFinishReason.Length, completion.FinishReason);
        Assert.Equal(host.ModelId, completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(expected.Usage!.InputTokenCount, completion.Usage.InputTokenCount);
        Assert.Equal(40, completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + 40, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_ConcatenatesToTheSameAnswer_WithUsageAtTheEnd()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        ChatClient client = host.OpenAIChat(ServerHost.AliceKey);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 50, Temperature = 0 };
        ChatCompletion whole = await client.CompleteChatAsync([new UserChatMessage(Prompt)], options);

        var text = new StringBuilder();
        SdkFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        int updates = 0;
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new UserChatMessage(Prompt)], options))
        {
            updates++;
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.True(updates > 3, $"expected one update per token or so, got {updates}");
        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(SdkFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(50, usage.OutputTokenCount);
    }

    [Fact]
    public async Task PadPreferences_ThroughTheSdksExtraBodyProperty_SteerTheAnswer()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        ChatClient client = host.OpenAIChat(ServerHost.AliceKey);

        var plainOptions = new ChatCompletionOptions { MaxOutputTokenCount = 60, Temperature = 0 };
        string plain = (await client.CompleteChatAsync([new UserChatMessage(Prompt)], plainOptions)).Value.Content[0].Text;

        var padOptions = new ChatCompletionOptions { MaxOutputTokenCount = 60, Temperature = 0 };
        padOptions.Patch.Set("$.pad"u8, BinaryData.FromString($$"""{"preferences":[{"text":"{{Max}}","weight":4}],"top_k":10}"""));
        string steered = (await client.CompleteChatAsync([new UserChatMessage(Prompt)], padOptions)).Value.Content[0].Text;

        string streamed = await ServerHost.StreamTextAsync(client, Prompt, padOptions);

        ChatOptions expectedOptions = Greedy(60);
        expectedOptions.AdditionalProperties = new() { ["pad_preferences"] = new[] { new PadKernel.Alignment.Preference(Max, 4f) }, ["pad_top_k"] = 10 };
        ChatResponse expected = await host.Direct().GetResponseAsync([new AIChatMessage(AIChatRole.User, Prompt)], expectedOptions);

        Assert.Equal(expected.Text, steered);
        Assert.Equal(expected.Text, streamed);
        Assert.NotEqual(plain, steered);
        Assert.Contains("Max", steered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredPreferences_ApplyThroughTheKeysUser_AndOnlyThere()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        (int status, _, _) = await host.SendAsync(HttpMethod.Put, "/v1/users/alice/preferences", ServerHost.AliceKey,
            $$"""{"preferences":[{"text":"{{Max}}","weight":4}]}""");
        Assert.Equal(200, status);

        var options = new ChatCompletionOptions { MaxOutputTokenCount = 60, Temperature = 0 };
        string alice = (await host.OpenAIChat(ServerHost.AliceKey).CompleteChatAsync([new UserChatMessage(Prompt)], options)).Value.Content[0].Text;
        string bob = (await host.OpenAIChat(ServerHost.BobKey).CompleteChatAsync([new UserChatMessage(Prompt)], options)).Value.Content[0].Text;

        string aliceStreamed = await ServerHost.StreamTextAsync(host.OpenAIChat(ServerHost.AliceKey), Prompt, options);

        ChatOptions steeredOptions = Greedy(60);
        steeredOptions.AdditionalProperties = new() { ["pad_preferences"] = new[] { new PadKernel.Alignment.Preference(Max, 4f) } };
        string expectedAlice = (await host.Direct().GetResponseAsync([new AIChatMessage(AIChatRole.User, Prompt)], steeredOptions)).Text;
        string expectedBob = (await host.Direct().GetResponseAsync([new AIChatMessage(AIChatRole.User, Prompt)], Greedy(60))).Text;

        Assert.Equal(expectedAlice, alice);
        Assert.Equal(expectedAlice, aliceStreamed);
        Assert.Equal(expectedBob, bob);
        Assert.NotEqual(alice, bob);

        // A request can opt out of the stored preferences.
        var optOut = new ChatCompletionOptions { MaxOutputTokenCount = 60, Temperature = 0 };
        optOut.Patch.Set("$.pad"u8, BinaryData.FromString("""{"use_stored":false}"""));
        string aliceOptedOut = (await host.OpenAIChat(ServerHost.AliceKey).CompleteChatAsync([new UserChatMessage(Prompt)], optOut)).Value.Content[0].Text;
        Assert.Equal(expectedBob, aliceOptedOut);
    }

    [Fact]
    public async Task Sdk_SeesRefusalsAsClientResultExceptions_WithTheStatus()
    {
        await using ServerHost host = await ServerHost.StartAsync();
        var wrongKey = await Assert.ThrowsAsync<ClientResultException>(() =>
            host.OpenAIChat("sk-wrong").CompleteChatAsync([new UserChatMessage(Prompt)], new ChatCompletionOptions { MaxOutputTokenCount = 5 }));
        Assert.Equal(401, wrongKey.Status);

        var tooMany = await Assert.ThrowsAsync<ClientResultException>(() =>
            host.OpenAIChat(ServerHost.AliceKey).CompleteChatAsync([new UserChatMessage(Prompt)], new ChatCompletionOptions { MaxOutputTokenCount = 100_000 }));
        Assert.Equal(400, tooMany.Status);
        Assert.Contains("max_completion_tokens", tooMany.Message, StringComparison.Ordinal);
    }

    internal static ChatOptions Greedy(int maxTokens) => new() { MaxOutputTokens = maxTokens, Temperature = 0 };
}
