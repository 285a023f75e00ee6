using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.SemanticKernel.ChatCompletion;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;
using PadKernel.SemanticKernel;

// Connector registrations live in Semantic Kernel's namespace, as its own connectors' do.
#pragma warning disable IDE0130
namespace Microsoft.SemanticKernel;
#pragma warning restore IDE0130

/// <summary>Adds PadKernel to a Semantic Kernel service collection as a chat completion service.</summary>
public static class PadChatCompletionServiceCollectionExtensions
{
    /// <summary>
    /// Adds a PadKernel model as Semantic Kernel's <see cref="IChatCompletionService"/> (a <see cref="PadChatCompletionService"/>
    /// singleton, keyed by <paramref name="serviceId"/>), like Semantic Kernel's own <c>Add*ChatCompletion</c> connectors.
    /// With a <paramref name="serviceId"/> it also registers the model's <see cref="IChatClient"/> under that key (bound to
    /// no user) unless that key already has one; without one, the unkeyed <see cref="IChatClient"/> is <c>AddPadKernel</c>'s per-scope client. Also registers
    /// <see cref="PadKernelArgumentsFilter"/> and <see cref="PadPreferencesPlugin"/> (scoped). Configure models with
    /// <c>AddPadKernel(...)</c> and a model loader.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The name of the configured PadKernel model; the default model when null. It is the service's model id.</param>
    /// <param name="serviceId">The service id settings select the service by (<c>PromptExecutionSettings.ServiceId</c>); none when null.</param>
    /// <returns>The service collection.</returns>
    /// <remarks>An unknown model name is an <see cref="InvalidOperationException"/> when the service is first resolved.</remarks>
    public static IServiceCollection AddPadChatCompletion(this IServiceCollection services, string? modelId = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPadKernel();
        services.AddKeyedSingleton<IChatCompletionService>(serviceId, (sp, _) => new PadChatCompletionService(sp, modelId));
        if (serviceId is not null)
        {
            services.TryAddKeyedSingleton<IChatClient>(serviceId, (sp, _) =>
                new PadChatCompletionService(sp, modelId).UnboundClient);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFunctionInvocationFilter, PadKernelArgumentsFilter>());
        services.TryAddScoped(sp => new PadPreferencesPlugin(sp.GetRequiredService<IPreferenceStore>(), sp.GetRequiredService<IPadUserContext>()));
        return services;
    }

    /// <summary>Adds a PadKernel model as the kernel's chat completion service; see <see cref="AddPadChatCompletion(IServiceCollection, string?, string?)"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The name of the configured PadKernel model; the default model when null.</param>
    /// <param name="serviceId">The service id settings select the service by; none when null.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddPadChatCompletion(this IKernelBuilder builder, string? modelId = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPadChatCompletion(modelId, serviceId);
        return builder;
    }
}
