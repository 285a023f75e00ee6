using PadKernel.Extensions.AI;

// Builder extensions live in Microsoft.Extensions.AI, beside UseDistributedCache and UseLogging.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.AI;
#pragma warning restore IDE0130

/// <summary>Adds <see cref="PadPersonalizationChatClient"/> to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class PadPersonalizationChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="PadPersonalizationChatClient"/> as the next stage: call it first, before any cache, logger or
    /// telemetry stage, so they see the user and the preferences that will apply.
    /// </summary>
    public static ChatClientBuilder UsePadPersonalization(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new PadPersonalizationChatClient(inner));
    }
}
