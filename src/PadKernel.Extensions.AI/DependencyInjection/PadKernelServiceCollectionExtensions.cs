using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PadKernel.Extensions.AI;
using PadKernel.Models;
using PadKernel.Preferences;

// Extension methods on IServiceCollection live in its namespace, as Microsoft.Extensions.* packages do.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers PadKernel's models, preferences and users; chat clients are added per model with <c>AddPadChatClient</c>.</summary>
public static class PadKernelServiceCollectionExtensions
{
    /// <summary>
    /// Registers PadKernel with options from code: <see cref="PadModelRegistry"/>, the default <see cref="ILanguageModel"/>
    /// (and each model keyed by its name), <see cref="IPreferenceStore"/> (in-memory unless replaced),
    /// <see cref="PadPreferenceResolver"/>, <see cref="IPadUserContext"/> and <see cref="PreferenceTools"/>. Chat clients
    /// come from <c>AddPadChatClient</c>/<c>AddKeyedPadChatClient</c>. <paramref name="configure"/> runs once, when the
    /// options are first needed, like any <c>Configure</c> delegate; models added later through
    /// <c>services.Configure&lt;PadKernelOptions&gt;</c> or configuration work the same. Calling this again adds only
    /// <paramref name="configure"/>.
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

        // Any model name, configured whenever: the registry answers null for a name it does not know, as DI does for
        // an unregistered key.
        services.TryAddKeyedSingleton<ILanguageModel>(KeyedService.AnyKey, (sp, key) =>
            key is string name && sp.GetRequiredService<PadModelRegistry>().ModelNames.Contains(name, StringComparer.OrdinalIgnoreCase)
                ? sp.GetRequiredService<PadModelRegistry>().GetModel(name)
                : null!);
        services.TryAddSingleton<IPreferenceStore, InMemoryPreferenceStore>();
        services.TryAddSingleton(sp => new PadPreferenceResolver(sp.GetService<IPreferenceStore>()));
        services.TryAddSingleton<PadUserContexts>();
        services.TryAddTransient(sp => sp.GetRequiredService<PadUserContexts>().For(sp));
        services.TryAddTransient<IPadUserContext>(sp => sp.GetRequiredService<PadUserContext>());
        services.TryAddScoped(sp => new PreferenceTools(sp.GetRequiredService<IPreferenceStore>(), sp.GetRequiredService<IPadUserContext>()));
        return new PadKernelBuilder(services);
    }

    /// <summary>Registers PadKernel with options bound from <paramref name="configuration"/>: its <c>PadKernel</c> section when it has one, otherwise the configuration itself.</summary>
    public static PadKernelBuilder AddPadKernel(this IServiceCollection services, IConfiguration configuration, Action<PadKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(PadKernelOptions.SectionName);
        services.AddOptions<PadKernelOptions>().Bind(section.Exists() ? section : configuration);
        return services.AddPadKernel(configure);
    }
}
