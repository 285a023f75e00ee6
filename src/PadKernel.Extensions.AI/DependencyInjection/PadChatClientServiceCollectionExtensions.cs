using Microsoft.Extensions.AI;
using PadKernel.Extensions.AI;

// Extension methods on IServiceCollection live in its namespace, as Microsoft.Extensions.* packages do.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>
/// Registers PadKernel chat clients the way Microsoft.Extensions.AI's <c>AddChatClient</c>/<c>AddKeyedChatClient</c> do:
/// one call per model, returning the <see cref="ChatClientBuilder"/> of that model's pipeline so the app chains its
/// middleware (<c>.UseDistributedCache().UseLogging().UseOpenTelemetry()</c>, ...). The pipeline always starts with
/// <see cref="PadPersonalizationChatClient"/>, so every stage the app adds sees the user and the preferences that will apply.
/// </summary>
public static class PadChatClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers the unkeyed <see cref="IChatClient"/>: PadKernel's client for <paramref name="model"/> (the default model
    /// when null) behind the personalization stage. Also calls <c>AddPadKernel()</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="model">The name of a configured model; the default model when null. Looked up when the client is first built.</param>
    /// <param name="lifetime">
    /// <see cref="ServiceLifetime.Scoped"/> (the default): built per scope from the scope's services, acting for the
    /// scope's user (<c>CreatePadUserScope</c>). <see cref="ServiceLifetime.Singleton"/>: one pipeline for the app, serving
    /// any user named per request (<c>pad_user</c>) — what a host that resolves clients from its root provider needs.
    /// </param>
    /// <returns>The pipeline's builder, to chain middleware on.</returns>
    public static ChatClientBuilder AddPadChatClient(this IServiceCollection services, string? model = null, ServiceLifetime lifetime = ServiceLifetime.Scoped)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPadKernel();
        ChatClientBuilder builder = PadModelRegistry.CreateChatClientBuilder(model);
        services.Add(new ServiceDescriptor(typeof(IChatClient), builder.Build, lifetime));
        return builder;
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/>; see <see cref="AddPadChatClient"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key; when <paramref name="model"/> is null it is also the model's name.</param>
    /// <param name="model">The name of a configured model; <paramref name="serviceKey"/> when null.</param>
    /// <param name="lifetime">The client's lifetime (see <see cref="AddPadChatClient"/>).</param>
    /// <returns>The pipeline's builder, to chain middleware on.</returns>
    public static ChatClientBuilder AddKeyedPadChatClient(this IServiceCollection services, object serviceKey, string? model = null, ServiceLifetime lifetime = ServiceLifetime.Scoped)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        model ??= serviceKey as string ?? throw new ArgumentException("Name the model when the service key is not its name.", nameof(model));
        services.AddPadKernel();
        ChatClientBuilder builder = PadModelRegistry.CreateChatClientBuilder(model);
        services.Add(new ServiceDescriptor(typeof(IChatClient), serviceKey, (sp, _) => builder.Build(sp), lifetime));
        return builder;
    }
}
