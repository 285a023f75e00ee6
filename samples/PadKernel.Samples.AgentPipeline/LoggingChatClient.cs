using Microsoft.Extensions.AI;

namespace PadKernel.Samples.AgentPipeline;

/// <summary>Middleware that writes one line per request and one per finished response (Microsoft.Extensions.AI's own logging client lives in a package this sample does not use).</summary>
internal sealed class LoggingChatClient(IChatClient inner, Action<string> log, string user) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        log($"  [log] {user}: request ({messages.Count()} messages)");
        ChatResponse response = await base.GetResponseAsync(messages, options, cancellationToken);
        log($"  [log] {user}: {response.FinishReason}, {response.Usage?.InputTokenCount} in / {response.Usage?.OutputTokenCount} out");
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        log($"  [log] {user}: streaming request ({messages.Count()} messages)");
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            if (update.FinishReason is { } finish)
            {
                UsageDetails? usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
                                log($"  [log] {user}: {finish}, {usage?.InputTokenCount} in / {usage?.OutputTokenCount} out");
            }

            yield return update;
        }
    }
}
