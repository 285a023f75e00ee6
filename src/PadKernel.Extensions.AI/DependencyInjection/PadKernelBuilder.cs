using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PadKernel.Models;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI;

/// <summary>Further configuration of what <c>AddPadKernel</c> registered: model loaders, models and the preference store.</summary>
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

    /// <summary>Adds a model loaded from a path (the same as <see cref="PadKernelOptions.AddModel(string, string, Action{PadModelOptions}?)"/>).</summary>
    public PadKernelBuilder AddModel(string name, string path, Action<PadModelOptions>? configure = null)
    {
        Services.Configure<PadKernelOptions>(o => o.AddModel(name, path, configure));
        return this;
    }

    /// <summary>Adds a model created by a factory; the registry owns (and disposes) what it returns.</summary>
    public PadKernelBuilder AddModel(string name, Func<IServiceProvider, ILanguageModel> factory, Action<PadModelOptions>? configure = null)
    {
        Services.Configure<PadKernelOptions>(o => o.AddModel(name, factory, configure));
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
