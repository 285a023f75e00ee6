using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;

namespace PadKernel.SemanticKernel;

/// <summary>
/// The <see cref="IChatCompletionService"/> <c>AddPadChatCompletion</c> registers: one PadKernel model as a Semantic
/// Kernel chat service (a singleton, safe to resolve from a root provider that validates scopes).
/// </summary>
/// <remarks>
/// <para>Each call picks the client by the kernel it is given: a kernel resolved in a DI scope (for example
/// <c>CreatePadUserScope(userId)</c>, or an ASP.NET Core request whose <see cref="IPadUserContext"/> is the signed-in
/// user) uses that scope's model client, which applies the scope user's stored preferences; a kernel on the root
/// provider uses a client bound to no user, which applies the stored preferences of the user named by
/// <see cref="PadPromptExecutionSettings.User"/> (<c>pad_user</c>).</para>
/// <para>PadKernel's models do not call tools. Settings whose <see cref="PromptExecutionSettings.FunctionChoiceBehavior"/>
/// requires a function call (<c>FunctionChoiceBehavior.Required()</c> with functions to offer) are refused with a
/// <see cref="NotSupportedException"/> rather than answered without the call.</para>
/// </remarks>
public sealed class PadChatCompletionService : IChatCompletionService
{
    private readonly IServiceProvider _services;
    private readonly Lazy<PadChatClient> _unboundClient;

    internal PadChatCompletionService(IServiceProvider services, string? modelName)
    {
        _services = services;
        PadModelRegistry registry = services.GetRequiredService<PadModelRegistry>();
        string name = modelName ?? registry.DefaultModelName
            ?? throw new InvalidOperationException("No PadKernel model is configured: add one with AddPadKernel(o => o.AddModel(...)) or the PadKernel configuration section before AddPadChatCompletion.");
        if (!registry.ModelNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"AddPadChatCompletion names model '{name}', which is not configured. Configured: {string.Join(", ", registry.ModelNames)}.");
        }

        ModelName = name;
        Attributes = new Dictionary<string, object?> { [AIServiceExtensions.ModelIdKey] = name };
        _unboundClient = new Lazy<PadChatClient>(
            () => new PadChatClient(registry.GetModel(name), registry.GetClientOptions(name), services.GetService<IPreferenceStore>(), null, Logger(services)),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the name of the PadKernel model this service generates with (also its model id).</summary>
    public string ModelName { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <summary>Gets the model's chat client bound to no user (what the keyed <see cref="IChatClient"/> of the service id resolves to).</summary>
    internal PadChatClient UnboundClient => _unboundClient.Value;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The PadKernel settings are invalid (for example an unknown <c>pad_*</c> key).</exception>
    /// <exception cref="NotSupportedException">The settings require a function call.</exception>
    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        return PrepareClient(executionSettings, kernel).GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The PadKernel settings are invalid (for example an unknown <c>pad_*</c> key).</exception>
    /// <exception cref="NotSupportedException">The settings require a function call.</exception>
    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        IChatCompletionService client = PrepareClient(executionSettings, kernel);
        await foreach (StreamingChatMessageContent update in client.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private IChatCompletionService PrepareClient(PromptExecutionSettings? executionSettings, Kernel? kernel)
    {
        if (executionSettings is PadPromptExecutionSettings pad)
        {
            pad.ThrowIfInvalidExtensionData();
        }

        if (executionSettings?.FunctionChoiceBehavior is not null
            && executionSettings.ToChatOptions(kernel) is { Tools.Count: > 0, ToolMode: RequiredChatToolMode })
        {
            throw new NotSupportedException(
                $"FunctionChoiceBehavior.Required() asks PadKernel model '{ModelName}' to call a function, but PadKernel models do not call tools. " +
                "Invoke the functions from the app, or route tool calls to a tool-calling model with another service id.");
        }

        return ClientFor(kernel).AsChatCompletionService(_services);
    }

    private IChatClient ClientFor(Kernel? kernel)
    {
        // A kernel on the provider this singleton came from (the root) has no user scope, and a root provider that
        // validates scopes refuses scoped services; any other provider is a scope, whose model client acts for its user.
        IServiceProvider? services = kernel?.Services;
        if (services is null || ReferenceEquals(services.GetService<IServiceProvider>() ?? services, _services))
        {
            return UnboundClient;
        }

        PadChatClient unbound = UnboundClient;
        if (services.GetService<IPadUserContext>() is not { UserId: not null } user)
        {
            return unbound;
        }

        // The scope's keyed model client (with whatever the app configured around it) when it acts for this user;
        // otherwise, for example when the model's name was not known to AddPadKernel, a client bound to the user here.
        return services.GetKeyedService<IChatClient>(ModelName) is { } scoped && ReferenceEquals(scoped.GetService<IPadUserContext>(), user)
            ? scoped
            : new PadChatClient(unbound.Model, unbound.GetService<PadChatClientOptions>(), _services.GetService<IPreferenceStore>(), user, Logger(_services));
    }

    // The app's logging, so that a request whose tools are not called (FunctionChoiceBehavior.Auto) is logged, never silent.
    private static ILogger? Logger(IServiceProvider services) => services.GetService<ILoggerFactory>()?.CreateLogger<PadChatClient>();
}
