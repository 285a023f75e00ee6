using Microsoft.Extensions.AI;
using PadKernel.Extensions.AI;

namespace PadKernel.Samples.AgentPipeline;

/// <summary>
/// A small agent resolved per user scope: preference commands over the scope's IChatClient, which DI built as the
/// pipeline <c>AddPadChatClient().UseDistributedCache().UseLogging().UseOpenTelemetry()</c> registered (personalization → cache → logging → telemetry → PadKernel).
/// </summary>
public sealed class StoryAgent
{
    private readonly IChatClient _pipeline;
    private readonly PreferenceTools _tools;

    public StoryAgent(IChatClient chat, PreferenceTools tools)
    {
        _tools = tools;

        // This stage does not look at ChatOptions, so it needs no personalization before it; a cache added here would
        // (.AsBuilder().UsePadPersonalization().UseDistributedCache(...)).
        _pipeline = new PreferenceCommandChatClient(chat, tools);
    }

    public Task<ChatResponse> SayAsync(string message) => _pipeline.GetResponseAsync(message);

    public IAsyncEnumerable<ChatResponseUpdate> StreamAsync(string message) => _pipeline.GetStreamingResponseAsync(message);

    public async Task<string> ListPreferencesAsync() => System.Text.Json.JsonSerializer.Serialize(await _tools.List.InvokeAsync());
}
