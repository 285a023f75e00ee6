using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace PadKernel.Extensions.AI;

/// <summary>
/// Middleware that makes personalization visible to every stage after it: <see cref="PadPreferenceResolver"/> resolves
/// the preferences a request will apply (stored, layers and the request's own) and writes the user (<c>pad_user</c>),
/// the resolved set (<c>pad_resolved_preferences</c>) and its hash (<c>pad_preferences_hash</c>) into a copy of the
/// request's <see cref="ChatOptions"/> (the caller's options are never changed). Caches, loggers and telemetry that key
/// on <see cref="ChatOptions"/> then tell users and preference sets apart, and <see cref="PadChatClient"/> applies
/// exactly the resolved set.
/// </summary>
/// <remarks>
/// It must come before any stage that caches: <c>AddPadChatClient()</c> puts it first by itself, and a hand-built
/// pipeline starts with <c>.UsePadPersonalization()</c>. A request that is already resolved passes through unchanged
/// (after its user is checked), so the stage may appear twice.
/// </remarks>
public sealed class PadPersonalizationChatClient : DelegatingChatClient
{
    private readonly PadPreferenceResolver _resolver;
    private readonly IPadUserContext? _user;

    /// <summary>Initializes a new instance of the <see cref="PadPersonalizationChatClient"/> class.</summary>
    /// <param name="innerClient">The rest of the pipeline.</param>
    /// <param name="resolver">Resolves each request's preferences.</param>
    /// <param name="userContext">The user this stage acts for (read at each call); null to serve any user through <c>pad_user</c>.</param>
    public PadPersonalizationChatClient(IChatClient innerClient, PadPreferenceResolver resolver, IPadUserContext? userContext = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _user = userContext;
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatOptions personalized = await _resolver.PersonalizeAsync(options, _user?.UserId, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, personalized, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatOptions personalized = await _resolver.PersonalizeAsync(options, _user?.UserId, cancellationToken).ConfigureAwait(false);
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, personalized, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(PadPreferenceResolver) ? _resolver
            : serviceKey is null && _user is not null && serviceType.IsInstanceOfType(_user) ? _user
            : base.GetService(serviceType, serviceKey);
    }
}
