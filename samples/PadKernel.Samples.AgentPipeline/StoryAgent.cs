using Microsoft.Extensions.AI;
using PadKernel.Extensions.AI;

namespace PadKernel.Samples.AgentPipeline;

/// <summary>
/// A small agent resolved per user scope: its pipeline is preference commands → logging → the scope's PadKernel
/// IChatClient, which applies that user's stored preferences by itself.
/// </summary>
public sealed class StoryAgent
{
    private readonly IChatClient _pipeline;
    private readonly PreferenceTools _tools;
    private readonly List<string> _log = [];

    public StoryAgent(IChatClient padClient, PreferenceTools tools, IPadUserContext user)
    {
        _tools = tools;
        _pipeline = new PreferenceCommandChatClient(new LoggingChatClient(padClient, _log.Add, user.UserId ?? "anonymous"), tools);
    }

    public Task<ChatResponse> SayAsync(string message) => _pipeline.GetResponseAsync(message);

    public IAsyncEnumerable<ChatResponseUpdate> StreamAsync(string message) => _pipeline.GetStreamingResponseAsync(message);

    /// <summary>Returns the log lines written since the last call.</summary>
    public IReadOnlyList<string> TakeLog()
    {
        string[] lines = [.. _log];
        _log.Clear();
        return lines;
    }

    public async Task<string> ListPreferencesAsync() => System.Text.Json.JsonSerializer.Serialize(await _tools.List.InvokeAsync());
}
