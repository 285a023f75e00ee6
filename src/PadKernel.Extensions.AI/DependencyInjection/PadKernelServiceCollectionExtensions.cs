using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PadKernel.Extensions.AI;
using PadKernel.Models;
using PadKernel.Preferences;

// Extension methods on IServiceCollection live in its namespace, as Microsoft.Extensions.* packages do.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers PadKernel: models, chat clients, preferences and the per-scope user.</summary>
public static class PadKernelServiceCollectionExtensions
{
    /// <summary>
    /// Registers PadKernel with options from code. Registers: <see cref="PadModelRegistry"/> and the default
    /// <see cref="ILanguageModel"/> (singletons; keyed by model name too), <see cref="IChatClient"/> (scoped, so it
    /// applies the scope's user's stored preferences; keyed by model name too), <see cref="IPreferenceStore"/>
    /// (in-memory unless replaced), <see cref="IPadUserContext"/> (scoped) and <see cref="PreferenceTools"/> (scoped).
    /// Keyed services exist for each model named here, in the configuration or with <see cref="PadKernelBuilder.AddModel(string, string, Action{PadModelOptions}?)"/>,
    /// and for no other key, so a lookup by another key finds nothing, as for any unregistered service. To learn those
    /// names, <paramref name="configure"/> also runs once on a scratch options object when this method is called.
    /// </summary>
    public static PadKernelBuilder AddPadKernel(this IServiceCollection services, Action<PadKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PadKernelOptions>();
        if (configure is not null)
        {
            services.Configure(configure);

            // Keyed registrations need the model names now; the delegate only fills an options object, so run it on a probe.
            var probe = new PadKernelOptions();
            configure(probe);
            AddModelKeys(services, probe);
        }

        services.TryAddSingleton<PadModelRegistry>();
        services.TryAddSingleton<ILanguageModel>(sp => sp.GetRequiredService<PadModelRegistry>().GetModel());
        services.TryAddSingleton<IPreferenceStore, InMemoryPreferenceStore>();
        services.TryAddScoped<PadUserContext>();
        services.TryAddScoped<IPadUserContext>(sp => sp.GetRequiredService<PadUserContext>());
        services.TryAddScoped(sp => new PreferenceTools(sp.GetRequiredService<IPreferenceStore>(), sp.GetRequiredService<IPadUserContext>()));
        services.TryAddScoped<IChatClient>(sp => CreateClient(sp, null));
        return new PadKernelBuilder(services);
    }

    /// <summary>Registers PadKernel with options bound from <paramref name="configuration"/>: its <c>PadKernel</c> section when it has one, otherwise the configuration itself.</summary>
    public static PadKernelBuilder AddPadKernel(this IServiceCollection services, IConfiguration configuration, Action<PadKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(PadKernelOptions.SectionName);
        IConfiguration source = section.Exists() ? section : configuration;
        services.AddOptions<PadKernelOptions>().Bind(source);
        var probe = new PadKernelOptions();
        source.Bind(probe);
        AddModelKeys(services, probe);
        return services.AddPadKernel(configure);
    }

    /// <summary>Registers the keyed <see cref="ILanguageModel"/> (singleton) and <see cref="IChatClient"/> (scoped) of one model name.</summary>
    internal static void AddModelKey(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton<ILanguageModel>(name, (sp, _) => sp.GetRequiredService<PadModelRegistry>().GetModel(name));
        services.TryAddKeyedScoped<IChatClient>(name, (sp, _) => CreateClient(sp, name));
    }

    private static void AddModelKeys(IServiceCollection services, PadKernelOptions options)
    {
        foreach (string name in options.Models.Keys)
        {
            AddModelKey(services, name);
        }

        if (!string.IsNullOrWhiteSpace(options.ModelPath))
        {
            AddModelKey(services, PadModelRegistry.DefaultName);
        }
    }

    // Every DI-made client comes from here: PadKernel's client, wrapped in the app's pipeline when it configured one.
    private static IChatClient CreateClient(IServiceProvider services, string? name)
    {
        PadModelRegistry registry = services.GetRequiredService<PadModelRegistry>();
        var client = new PadChatClient(
            registry.GetModel(name),
            registry.GetClientOptions(name),
            services.GetService<IPreferenceStore>(),
            services.GetService<IPadUserContext>(),
            services.GetService<ILoggerFactory>()?.CreateLogger<PadChatClient>());
        return services.GetService<PadChatClientPipeline>() is { } pipeline ? pipeline.Build(client, services) : client;
    }
}
