using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PadKernel.Models;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI;

/// <summary>Further configuration of what <c>AddPadKernel</c> registered.</summary>
public sealed class PadKernelBuilder
{
    internal PadKernelBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a runtime's model loader (a singleton); models with a <c>Path</c> load with the first loader that can load it.</summary>
    public PadKernelBuilder AddModelLoader<TLoader>()
        where TLoader : class, IModelLoader
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelLoader, TLoader>());
        return this;
    }

    /// <summary>Registers a model loader instance.</summary>
    public PadKernelBuilder AddModelLoader(IModelLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        Services.AddSingleton(loader);
        return this;
    }

    /// <summary>Adds a model loaded from a path.</summary>
    public PadKernelBuilder AddModel(string name, string path, Action<PadModelOptions>? configure = null)
    {
        Services.Configure<PadKernelOptions>(o => o.AddModel(name, path, configure));
        PadKernelServiceCollectionExtensions.AddModelKey(Services, name);
        return this;
    }

    /// <summary>Adds a model created by a factory; the registry owns (and disposes) what it returns.</summary>
    public PadKernelBuilder AddModel(string name, Func<IServiceProvider, ILanguageModel> factory, Action<PadModelOptions>? configure = null)
    {
        Services.Configure<PadKernelOptions>(o => o.AddModel(name, factory, configure));
        PadKernelServiceCollectionExtensions.AddModelKey(Services, name);
        return this;
    }

    /// <summary>
    /// Makes the <c>IChatClient</c> that DI hands out (default and keyed by model name, per scope) a pipeline around
    /// PadKernel's client, the way <c>AddChatClient(...).Use...()</c> does: <paramref name="configure"/> adds middleware
    /// (<c>UseDistributedCache</c>, <c>UseLogging</c>, <c>UseOpenTelemetry</c>, <c>UseFunctionInvocation</c>, ...), and the
    /// pipeline is built in each scope from the scope's services. <see cref="PadPersonalizationChatClient"/> always comes
    /// first, so every stage sees the scope's user and the preferences that will apply. Calls add up, in order.
    /// </summary>
    public PadKernelBuilder UseChatClientPipeline(Action<ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        PadChatClientPipeline? pipeline = Services
            .Where(d => d.ServiceType == typeof(PadChatClientPipeline) && !d.IsKeyedService)
            .Select(d => d.ImplementationInstance)
            .OfType<PadChatClientPipeline>()
            .FirstOrDefault();
        if (pipeline is null)
        {
            pipeline = new PadChatClientPipeline();
            Services.AddSingleton(pipeline);
        }

        pipeline.Add(configure);
        return this;
    }

    /// <summary>Uses <paramref name="store"/> for users' preferences (replacing the in-memory default).</summary>
    public PadKernelBuilder UsePreferenceStore(IPreferenceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.RemoveAll<IPreferenceStore>();
        Services.AddSingleton(store);
        return this;
    }

    /// <summary>Uses a preference store created from the container (a singleton), replacing the in-memory default.</summary>
    public PadKernelBuilder UsePreferenceStore(Func<IServiceProvider, IPreferenceStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IPreferenceStore>();
        Services.AddSingleton(factory);
        return this;
    }
}
