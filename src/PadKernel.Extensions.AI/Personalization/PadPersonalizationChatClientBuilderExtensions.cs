using Microsoft.Extensions.DependencyInjection;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;

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
    /// <param name="builder">The pipeline.</param>
    /// <param name="resolver">The resolver; by default the container's <see cref="PadPreferenceResolver"/>, else one over its <see cref="IPreferenceStore"/> (or none).</param>
    /// <param name="userContext">The user the stage acts for; by default the container's <see cref="IPadUserContext"/> (the scope's user), if any.</param>
    public static ChatClientBuilder UsePadPersonalization(this ChatClientBuilder builder, PadPreferenceResolver? resolver = null, IPadUserContext? userContext = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new PadPersonalizationChatClient(
            inner,
            resolver ?? services.GetService<PadPreferenceResolver>() ?? new PadPreferenceResolver(services.GetService<IPreferenceStore>()),
            userContext ?? services.GetService<IPadUserContext>()));
    }
}
