using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace PadKernel.Extensions.AI;

/// <summary>
/// Middleware that makes personalization visible to every middleware after it: it resolves the preferences a request
/// will apply (the user's stored ones merged with the request's own) and writes the user (<c>pad_user</c>), the
/// resolved set (<c>pad_resolved_preferences</c>) and its hash (<c>pad_preferences_hash</c>) into a copy of the
/// request's <see cref="ChatOptions"/> (the caller's options are never changed). Caches, loggers and telemetry that
/// key on <see cref="ChatOptions"/> then tell users and preference sets apart; the <see cref="PadChatClient"/> inside
/// applies exactly the resolved set, without reading the store a second time.
/// </summary>
/// <remarks>
/// It must be the outermost stage of a pipeline that caches: <c>.AsBuilder().UsePadPersonalization().UseDistributedCache(...)</c>.
/// <c>AddPadKernel(...).UseChatClientPipeline(...)</c> puts it first by itself. A request that is already personalized
/// (it carries <c>pad_resolved_preferences</c>) passes through unchanged, so the stage may appear twice.
/// </remarks>
public sealed class PadPersonalizationChatClient : DelegatingChatClient
{
    private readonly PadChatClient _pad;

    /// <summary>Initializes a new instance of the <see cref="PadPersonalizationChatClient"/> class.</summary>
    /// <param name="innerClient">The rest of the pipeline; a <see cref="PadChatClient"/> must be found in it (through <c>GetService</c>).</param>
    /// <exception cref="InvalidOperationException">No <see cref="PadChatClient"/> is inside <paramref name="innerClient"/>.</exception>
    public PadPersonalizationChatClient(IChatClient innerClient)
        : base(innerClient)
    {
        _pad = innerClient.GetService<PadChatClient>()
            ?? throw new InvalidOperationException("UsePadPersonalization needs a PadChatClient inside the pipeline it wraps (found through GetService); none was found.");
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatOptions personalized = await _pad.PersonalizeAsync(options, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, personalized, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatOptions personalized = await _pad.PersonalizeAsync(options, cancellationToken).ConfigureAwait(false);
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, personalized, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }
}
