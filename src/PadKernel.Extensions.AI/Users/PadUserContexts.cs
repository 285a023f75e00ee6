using System.Runtime.CompilerServices;

namespace PadKernel.Extensions.AI;

/// <summary>
/// The default <see cref="IPadUserContext"/> of each service provider (a scope, or the root): one
/// <see cref="PadUserContext"/> per provider, held as long as the provider lives. Registered as a singleton and handed
/// out by a transient registration, so it is per scope like a scoped service yet safe to resolve from a root provider
/// that validates scopes — which a Semantic Kernel kernel on the root provider, or a singleton pipeline, does.
/// </summary>
internal sealed class PadUserContexts
{
    private readonly ConditionalWeakTable<IServiceProvider, PadUserContext> _contexts = [];

    public PadUserContext For(IServiceProvider services) => _contexts.GetValue(services, static _ => new PadUserContext());
}
