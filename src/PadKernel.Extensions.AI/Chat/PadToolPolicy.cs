using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace PadKernel.Extensions.AI;

/// <summary>
/// What <see cref="PadChatClient"/> does with tools, which its models cannot call: a request that requires a call is
/// refused; one that merely offers tools (auto) is answered in plain text with a logged warning, or refused under
/// <see cref="PadClientDefaults.StrictToolSupport"/>; <c>ToolMode</c> none is answered silently.
/// </summary>
internal sealed class PadToolPolicy(bool strict, ILogger? logger)
{
    private static readonly Action<ILogger, string, int, Exception?> ToolsIgnored = LoggerMessage.Define<string, int>(
        LogLevel.Warning,
        new EventId(1, "ToolsIgnored"),
        "Model '{ModelId}' cannot call tools: the request offered {ToolCount} tool(s) with ToolMode auto and is answered in plain text without calling any. Set StrictToolSupport to refuse such requests.");

    /// <summary>Throws <see cref="NotSupportedException"/> for a request the policy refuses; logs the ones it answers without tools.</summary>
    public void Check(ChatOptions? options, string modelId)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode)
        {
            return;
        }

        if (options.ToolMode is RequiredChatToolMode required)
        {
            string mode = required.RequiredFunctionName is { } name ? $"RequireSpecific(\"{name}\")" : "RequireAny";
            throw new NotSupportedException(
                $"Model '{modelId}' cannot call tools: PadKernel generates plain text and its chat templates have no tool-call format, " +
                $"so a request whose ToolMode is {mode} cannot be answered with the required tool call. Remove the tools or use a client that supports tool calling.");
        }

        if (strict)
        {
            throw new NotSupportedException(
                $"Model '{modelId}' cannot call tools, and StrictToolSupport refuses requests that offer tools ({tools.Count}) rather than answering them without calling any. " +
                "Remove the tools, set ToolMode to None, or turn StrictToolSupport off to answer in plain text.");
        }

        if (logger is not null)
        {
            ToolsIgnored(logger, modelId, tools.Count, null);
        }
    }
}
