using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PadKernel.Server.Authentication;
using PadKernel.Server.Configuration;
using PadKernel.Server.Endpoints;
using PadKernel.Server.Generation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OpenAI-compatible PadKernel server.</summary>
public static class PadServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the server's services, bound from <paramref name="configuration"/> (the <c>PadServer</c> section or the
    /// root that holds it). The host must also register an <c>IChatClient</c> and an <c>IPreferenceStore</c>
    /// (for example with <c>AddPadKernel</c>).
    /// </summary>
    public static IServiceCollection AddPadServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfiguration section = configuration is IConfigurationSection { Key: PadServerOptions.SectionName }
            ? configuration
            : configuration.GetSection(PadServerOptions.SectionName);
        services.AddOptions<PadServerOptions>().Bind(section);
        return services.AddPadServerCore();
    }

    /// <summary>Adds the server's services, configured in code.</summary>
    public static IServiceCollection AddPadServer(this IServiceCollection services, Action<PadServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PadServerOptions>().Configure(configure);
        return services.AddPadServerCore();
    }

    private static IServiceCollection AddPadServerCore(this IServiceCollection services)
    {
        services.AddOptions<PadServerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PadServerOptions>, PadServerOptionsValidator>());
        services.TryAddSingleton<ApiKeyRegistry>();
        services.TryAddSingleton<GenerationGate>();
        services.TryAddSingleton<ServedModel>();
        services.TryAddSingleton<ChatRequestTranslator>();
        services.TryAddSingleton<PromptTokenCounter>();
        services.TryAddSingleton<ChatCompletionsEndpoint>();
        services.TryAddSingleton<PreferencesEndpoints>();
        services.TryAddSingleton<InfoEndpoints>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
