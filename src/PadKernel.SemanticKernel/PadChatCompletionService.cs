using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using PadKernel.Extensions.AI;

namespace PadKernel.SemanticKernel;

/// <summary>
/// A PadKernel chat pipeline as Semantic Kernel's <see cref="IChatCompletionService"/>: what <c>AddPadChatCompletion</c>
/// registers (a singleton over one singleton pipeline, so it is safe to resolve from a root provider that validates scopes).
/// </summary>
/// <remarks>
/// <para>Each call converts its settings once, at this edge, to <see cref="PadPromptExecutionSettings"/> (refusing an
/// unknown or misplaced <c>pad_*</c> key by name), and acts for the user of the kernel's services: a kernel resolved in a
/// user's scope (<c>CreatePadUserScope</c>, or a scope whose <see cref="IPadUserContext"/> names the signed-in user)
/// applies that user's stored preferences and refuses <c>pad_user</c> naming someone else; a kernel on the root provider
/// applies the preferences of the user named by <see cref="PadPromptExecutionSettings.User"/> (<c>pad_user</c>), if any.</para>
/// <para>PadKernel's models do not call tools. Settings whose <see cref="PromptExecutionSettings.FunctionChoiceBehavior"/>
/// requires a function call (<c>FunctionChoiceBehavior.Required()</c> with functions to offer) are refused with a
/// <see cref="NotSupportedException"/> rather than answered without the call.</para>
/// </remarks>
public sealed class PadChatCompletionService : IChatCompletionService
{
    private readonly IChatCompletionService _chat;

    /// <summary>Initializes a new instance of the <see cref="PadChatCompletionService"/> class.</summary>
    /// <param name="chatClient">A PadKernel pipeline (<c>PadModelRegistry.CreateChatClientBuilder(...)</c> built, or any <see cref="PadChatClient"/> pipeline).</param>
    /// <param name="services">The container, for the kernel functions the chat client bridge offers as tools; optional.</param>
    public PadChatCompletionService(IChatClient chatClient, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ModelName = chatClient.GetService<ChatClientMetadata>()?.DefaultModelId
            ?? throw new ArgumentException("The chat client reports no model id (ChatClientMetadata); pass a PadKernel pipeline.", nameof(chatClient));
        Attributes = new Dictionary<string, object?> { [AIServiceExtensions.ModelIdKey] = ModelName };
        _chat = chatClient.AsChatCompletionService(services);
    }

    /// <summary>Gets the name of the PadKernel model this service generates with (also its model id).</summary>
    public string ModelName { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The PadKernel settings are invalid (for example an unknown <c>pad_*</c> key), or name another user than the kernel's scope.</exception>
    /// <exception cref="NotSupportedException">The settings require a function call.</exception>
    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        return _chat.GetChatMessageContentsAsync(chatHistory, Prepare(executionSettings, kernel), kernel, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The PadKernel settings are invalid, or name another user than the kernel's scope.</exception>
    /// <exception cref="NotSupportedException">The settings require a function call.</exception>
    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        PadPromptExecutionSettings settings = Prepare(executionSettings, kernel);
        await foreach (StreamingChatMessageContent update in _chat.GetStreamingChatMessageContentsAsync(chatHistory, settings, kernel, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private PadPromptExecutionSettings Prepare(PromptExecutionSettings? executionSettings, Kernel? kernel)
    {
        PadPromptExecutionSettings settings = PadPromptExecutionSettings.FromExecutionSettings(executionSettings);
        if (settings.FunctionChoiceBehavior is not null
            && settings.ToChatOptions(kernel) is { Tools.Count: > 0, ToolMode: RequiredChatToolMode })
        {
            throw new NotSupportedException(
                $"FunctionChoiceBehavior.Required() asks PadKernel model '{ModelName}' to call a function, but PadKernel models do not call tools. " +
                "Invoke the functions from the app, or route tool calls to a tool-calling model with another service id.");
        }

        // The user the kernel's services act for (its scope's); the pipeline itself serves any user named per request.
        if (kernel?.Services.GetService<IPadUserContext>()?.UserId is not { } user)
        {
            return settings;
        }

        if (settings.User is not null && !string.Equals(settings.User, user, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{PadOptionKeys.User}' names user '{settings.User}' but this kernel acts for another user.", PadOptionKeys.User);
        }

        var bound = (PadPromptExecutionSettings)settings.Clone();
        bound.User = user;
        return bound;
    }
}
