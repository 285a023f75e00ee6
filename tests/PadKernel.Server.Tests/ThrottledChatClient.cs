using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace PadKernel.Server.Tests;

/// <summary>
/// Slows a real chat client's stream down (a pause before each update), so that disconnects, queueing and shutdown
/// can be observed while a generation is still running. The story model alone finishes in milliseconds.
/// </summary>
internal sealed class ThrottledChatClient(IChatClient inner, TimeSpan pause) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            yield return update;
        }
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Non-streaming requests hold their slot for a while too.
        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }
}
