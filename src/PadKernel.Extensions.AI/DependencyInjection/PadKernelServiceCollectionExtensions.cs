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
    /// </summary>
    public static PadKernelBuilder AddPadKernel(this IServiceCollection services, Action<PadKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PadKernelOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<PadModelRegistry>();
        services.TryAddSingleton<ILanguageModel>(sp => sp.GetRequiredService<PadModelRegistry>().GetModel());
        services.TryAddKeyedSingleton<ILanguageModel>(KeyedService.AnyKey, (sp, key) => sp.GetRequiredService<PadModelRegistry>().GetModel(KeyName(key)));
        services.TryAddSingleton<IPreferenceStore, InMemoryPreferenceStore>();
        services.TryAddScoped<PadUserContext>();
        services.TryAddScoped<IPadUserContext>(sp => sp.GetRequiredService<PadUserContext>());
        services.TryAddScoped(sp => new PreferenceTools(sp.GetRequiredService<IPreferenceStore>(), sp.GetRequiredService<IPadUserContext>()));
        services.TryAddScoped<IChatClient>(sp => CreateClient(sp, null));
        services.TryAddKeyedScoped<IChatClient>(KeyedService.AnyKey, (sp, key) => CreateClient(sp, KeyName(key)));
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
        return services.AddPadKernel(configure);
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

    // Enumerating keyed services with KeyedService.AnyKey (as Semantic Kernel's Kernel.GetAllServices does for every
    // key it saw registered) asks this factory for the AnyKey key itself: answer with the default model then.
    private static string? KeyName(object? key) => key switch
    {
        string name => name,
        _ when ReferenceEquals(key, KeyedService.AnyKey) => null,
        _ => throw new InvalidOperationException($"PadKernel services are keyed by model name (a string), not by {key?.GetType().Name ?? "null"}."),
    };
}
