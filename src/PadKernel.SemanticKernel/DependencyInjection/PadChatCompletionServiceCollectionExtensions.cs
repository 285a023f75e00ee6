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
    /// Adds a PadKernel model as Semantic Kernel's chat service, the way Semantic Kernel's own connectors do: one
    /// singleton pipeline for the model (PadKernel's client behind the personalization stage, plus the middleware
    /// <paramref name="configurePipeline"/> chains), registered as a <see cref="PadChatCompletionService"/> and — with a
    /// <paramref name="serviceId"/> — as the keyed <see cref="IChatClient"/> of that id, both over the same pipeline. Also
    /// registers <c>AddPadKernel()</c>'s services, <see cref="PadKernelArgumentsFilter"/> and <see cref="PadPreferencesPlugin"/> (scoped).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The name of the configured PadKernel model; the default model when null. It is the service's model id.</param>
    /// <param name="serviceId">The service id settings select the service by (<c>PromptExecutionSettings.ServiceId</c>); none when null.</param>
    /// <param name="configurePipeline">Adds middleware to the pipeline (<c>p => p.UseDistributedCache().UseLogging()</c>); stages follow the personalization stage.</param>
    /// <returns>The service collection.</returns>
    /// <remarks>An unknown model name is an <see cref="InvalidOperationException"/> when the service is first resolved.</remarks>
    public static IServiceCollection AddPadChatCompletion(this IServiceCollection services, string? modelId = null, string? serviceId = null, Action<ChatClientBuilder>? configurePipeline = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPadKernel();
        ChatClientBuilder pipeline = PadModelRegistry.CreateChatClientBuilder(modelId);
        configurePipeline?.Invoke(pipeline);
        if (serviceId is null)
        {
            services.AddSingleton<IChatCompletionService>(sp => new PadChatCompletionService(pipeline.Build(sp), sp));
        }
        else
        {
            services.AddKeyedSingleton<IChatClient>(serviceId, (sp, _) => pipeline.Build(sp));
            services.AddKeyedSingleton<IChatCompletionService>(serviceId, (sp, key) => new PadChatCompletionService(sp.GetRequiredKeyedService<IChatClient>(key), sp));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFunctionInvocationFilter, PadKernelArgumentsFilter>());
        services.TryAddScoped(sp => new PadPreferencesPlugin(sp.GetRequiredService<IPreferenceStore>(), sp.GetRequiredService<IPadUserContext>()));
        return services;
    }

    /// <summary>Adds a PadKernel model as the kernel's chat completion service; see <see cref="AddPadChatCompletion(IServiceCollection, string?, string?, Action{ChatClientBuilder}?)"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The name of the configured PadKernel model; the default model when null.</param>
    /// <param name="serviceId">The service id settings select the service by; none when null.</param>
    /// <param name="configurePipeline">Adds middleware to the model's pipeline.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddPadChatCompletion(this IKernelBuilder builder, string? modelId = null, string? serviceId = null, Action<ChatClientBuilder>? configurePipeline = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPadChatCompletion(modelId, serviceId, configurePipeline);
        return builder;
    }
}
