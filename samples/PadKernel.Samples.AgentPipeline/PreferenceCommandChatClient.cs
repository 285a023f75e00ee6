using Microsoft.Extensions.AI;
using PadKernel.Extensions.AI;

namespace PadKernel.Samples.AgentPipeline;

/// <summary>
/// Middleware standing in for function calling: the story model is far too small to call tools, so a user message
/// "from now on: …" is turned into a call of the <c>remember_preference</c> tool here, the way a tool-calling model
/// and a function-invoking client would call it. The tool is bound to the scope's user.
/// </summary>
internal sealed class PreferenceCommandChatClient(IChatClient inner, PreferenceTools tools) : DelegatingChatClient(inner)
{
    private const string Command = "from now on:";

    // A tiny model needs a firm push for the effect to show in a few dozen tokens.
    private const double Weight = 3.0;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string? preference = PreferenceIn(messages);
        if (preference is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        object? stored = await tools.Remember.InvokeAsync(new AIFunctionArguments { ["text"] = preference, ["weight"] = Weight }, cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"Noted: " + System.Text.Json.JsonSerializer.Serialize(stored))) { FinishReason = ChatFinishReason.Stop };
    }

    private static string? PreferenceIn(IEnumerable<ChatMessage> messages)
    {
        string text = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        return text.StartsWith(Command, StringComparison.OrdinalIgnoreCase) ? text[Command.Length..].Trim() : null;
    }
}
