using Microsoft.Extensions.AI;

namespace PadKernel.Server.Generation;

/// <summary>Maps <see cref="ChatFinishReason"/> to OpenAI's <c>finish_reason</c> strings.</summary>
internal static class FinishReasons
{
    public static string ToWire(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length"
        : reason == ChatFinishReason.ContentFilter ? "content_filter"
        : reason == ChatFinishReason.ToolCalls ? "tool_calls"
        : "stop";
}
