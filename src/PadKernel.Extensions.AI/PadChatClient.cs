using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Preferences;
using PadKernel.Prompts;

namespace PadKernel.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> that generates with PAD: each request's preferences (from <c>ChatOptions.AdditionalProperties</c>,
/// see <see cref="PadOptionKeys"/>) and the current user's stored preferences steer every token.
/// </summary>
/// <remarks>
/// <para>
/// One model instance serves any number of clients and concurrent requests: each request decodes in its own sequences.
/// The client itself holds no per-request state, so it is cheap to create per scope (per user).
/// </para>
/// <para>
/// Tools: the models PadKernel runs cannot call tools. A request with <c>Tools</c> and a <c>ToolMode</c> that requires a
/// call gets a <see cref="NotSupportedException"/>; with <c>ToolMode</c> auto (or unset) the client logs a warning and
/// answers in plain text, or refuses too when <see cref="PadChatClientOptions.StrictToolSupport"/> is set.
/// </para>
/// <para>
/// Telemetry: inside a gen_ai span (<c>UseOpenTelemetry()</c>) the client adds PAD's attributes to it, and it records
/// the time per token; see <see cref="PadTelemetry"/>.
/// </para>
/// </remarks>
public sealed class PadChatClient : IChatClient
{
    private readonly ILanguageModel _model;
    private readonly PadChatClientOptions _options;
    private readonly IPreferenceStore? _store;
    private readonly IPadUserContext? _user;
    private readonly ChatTemplate _template;
    private readonly ChatClientMetadata _metadata;
    private readonly int[] _endOfTurnIds;
    private readonly ILogger? _logger;

    /// <summary>Initializes a new instance of the <see cref="PadChatClient"/> class.</summary>
    /// <param name="model">The base model; the client does not own it (a host disposes models).</param>
    /// <param name="options">Client settings; copied.</param>
    /// <param name="preferenceStore">Where users' preferences are kept; null for request preferences only.</param>
    /// <param name="userContext">The user this client acts for; null for a client that serves any user through <c>pad_user</c>.</param>
    /// <param name="logger">Where warnings go (a request whose tools are ignored); null for none.</param>
    public PadChatClient(ILanguageModel model, PadChatClientOptions? options = null, IPreferenceStore? preferenceStore = null, IPadUserContext? userContext = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _options = options?.Clone() ?? new PadChatClientOptions();
        _store = preferenceStore;
        _user = userContext;
        _logger = logger;
        _template = _options.ChatTemplate ?? ChatTemplate.ForModel(model);
        _metadata = new ChatClientMetadata(_options.ProviderName, providerUri: null, defaultModelId: ModelId);
        _endOfTurnIds = _template.EndOfTurnTokens
            .Select(name => model.Tokenizer.TryGetSpecialTokenId(name, out int id) ? id : -1)
            .Where(id => id >= 0)
            .ToArray();
    }

    /// <summary>Gets the model id this client reports.</summary>
    public string ModelId => _options.ModelId ?? _model.Info.ModelId;

    /// <summary>Gets the model this client generates with.</summary>
    public ILanguageModel Model => _model;

    /// <summary>Gets the chat template this client renders conversations with.</summary>
    public ChatTemplate ChatTemplate => _template;

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Prepared prepared = await PrepareAsync(messages, options, cancellationToken).ConfigureAwait(false);

        // The decode loop is CPU-bound: run it off the caller's context.
        long started = Stopwatch.GetTimestamp();
        GenerationResult result = await Task.Run(() => PadDecoder.Generate(prepared.Request, cancellationToken), cancellationToken).ConfigureAwait(false);
        PadTelemetry.Record(prepared.Summary, result.ChangedTokens, result.TokenIds.Count, Stopwatch.GetElapsedTime(started));
        var message = new ChatMessage(ChatRole.Assistant, result.Text) { MessageId = prepared.MessageId, CreatedAt = prepared.CreatedAt };
        return new ChatResponse(message)
        {
            ResponseId = prepared.ResponseId,
            ModelId = ModelId,
            CreatedAt = prepared.CreatedAt,
            FinishReason = ToChatFinishReason(result.FinishReason),
            Usage = Usage(prepared, result.TokenIds.Count),
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Prepared prepared = await PrepareAsync(messages, options, cancellationToken).ConfigureAwait(false);
        int outputTokens = 0;
        int changedTokens = 0;
        long started = Stopwatch.GetTimestamp();
        await foreach (GenerationUpdate update in PadDecoder.DecodeAsync(prepared.Request, cancellationToken).ConfigureAwait(false))
        {
            outputTokens += update.TokenId >= 0 ? 1 : 0;
            changedTokens += update.ChangedByPad ? 1 : 0;
            if (update.FinishReason is FinishReason finish)
            {
                PadTelemetry.Record(prepared.Summary, changedTokens, outputTokens, Stopwatch.GetElapsedTime(started));
                List<AIContent> contents = update.Text.Length > 0 ? [new TextContent(update.Text)] : [];
                contents.Add(new UsageContent(Usage(prepared, outputTokens)));
                yield return NewUpdate(prepared, contents, ToChatFinishReason(finish));
                yield break;
            }

            if (update.Text.Length > 0)
            {
                yield return NewUpdate(prepared, [new TextContent(update.Text)], null);
            }
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(PadChatClientOptions))
        {
            return _options.Clone();
        }

        if (serviceType == typeof(ChatTemplate))
        {
            return _template;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceType.IsInstanceOfType(_model))
        {
            return _model;
        }

        if (_store is not null && serviceType.IsInstanceOfType(_store))
        {
            return _store;
        }

        return _user is not null && serviceType.IsInstanceOfType(_user) ? _user : null;
    }

    /// <summary>Does nothing: the client owns neither the model nor the store.</summary>
    public void Dispose()
    {
    }

    /// <summary>Builds the PAD decode request a chat request turns into (what <see cref="GetResponseAsync"/> runs), for inspection and tests.</summary>
    public async Task<DecodeRequest> CreateDecodeRequestAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (await PrepareAsync(messages, options, cancellationToken).ConfigureAwait(false)).Request;

    /// <summary>
    /// Returns the preferences a request would apply: its <c>pad_resolved_preferences</c> when it has them, otherwise the
    /// user's stored ones merged with the request's own (the request wins on the same text).
    /// </summary>
    public async Task<IReadOnlyList<Preference>> ResolvePreferencesAsync(ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        PadRequestOptions pad = PadRequestOptions.Parse(options?.AdditionalProperties, _options.DefaultWeight);
        return await ResolvePreferencesAsync(pad, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns a copy of <paramref name="options"/> that carries the user (<c>pad_user</c>), the resolved preferences
    /// (<c>pad_resolved_preferences</c>) and their hash (<c>pad_preferences_hash</c>), so that middleware keyed on
    /// <see cref="ChatOptions"/> sees what will apply (what <see cref="PadPersonalizationChatClient"/> does). Options that
    /// are already personalized are returned as they are; <paramref name="options"/> itself is never changed.
    /// </summary>
    /// <exception cref="ArgumentException">A PadKernel option is invalid, or <c>pad_user</c> names another user than the one this client acts for.</exception>
    public async Task<ChatOptions> PersonalizeAsync(ChatOptions? options, CancellationToken cancellationToken = default)
    {
        PadRequestOptions pad = PadRequestOptions.Parse(options?.AdditionalProperties, _options.DefaultWeight);
        IReadOnlyList<Preference> preferences = await ResolvePreferencesAsync(pad, cancellationToken).ConfigureAwait(false);
        if (options is not null && pad.ResolvedPreferences is not null)
        {
            return options;
        }

        ChatOptions personalized = options?.Clone() ?? new ChatOptions();

        // A copy of the dictionary too: the caller's options (often reused across requests) stay as they were.
        AdditionalPropertiesDictionary properties = personalized.AdditionalProperties is { } given ? new(given) : [];
        if ((_user?.UserId ?? pad.UserId) is string user)
        {
            properties[PadOptionKeys.User] = user;
        }

        properties[PadOptionKeys.ResolvedPreferences] = ResolvedPreferences.ToJson(preferences);
        properties[PadOptionKeys.PreferencesHash] = ResolvedPreferences.Hash(preferences);
        personalized.AdditionalProperties = properties;
        return personalized;
    }

    private static ChatFinishReason ToChatFinishReason(FinishReason finish) =>
        finish == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length;

    private static UsageDetails Usage(Prepared prepared, int outputTokens) => new()
    {
        InputTokenCount = prepared.Request.Context.Count,
        OutputTokenCount = outputTokens,
        TotalTokenCount = prepared.Request.Context.Count + outputTokens,
    };

    private ChatResponseUpdate NewUpdate(Prepared prepared, IList<AIContent> contents, ChatFinishReason? finish) => new(ChatRole.Assistant, contents)
    {
        ResponseId = prepared.ResponseId,
        MessageId = prepared.MessageId,
        CreatedAt = prepared.CreatedAt,
        ModelId = ModelId,
        FinishReason = finish,
    };

    private async Task<Prepared> PrepareAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckTools(options);
        if (options?.ModelId is { Length: > 0 } requested && !string.Equals(requested, ModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"This client serves model '{ModelId}', not '{requested}'.", nameof(options));
        }

        PadRequestOptions pad = PadRequestOptions.Parse(options?.AdditionalProperties, _options.DefaultWeight);
        IReadOnlyList<PromptMessage> prompt = ToPromptMessages(messages, options?.Instructions);
        IReadOnlyList<Preference> preferences = await ResolvePreferencesAsync(pad, cancellationToken).ConfigureAwait(false);
        int activeRewards = preferences.Count(p => p.Weight != 0f);
        Activity? span = PadTelemetry.CurrentChatSpan();

        var generation = new GenerationOptions
        {
            MaxTokens = options?.MaxOutputTokens ?? _options.MaxOutputTokens,
            Temperature = options?.Temperature ?? _options.Temperature,
            TopP = options?.TopP ?? 1f,
            TopK = options?.TopK ?? 0,
            Seed = options?.Seed is long seed ? unchecked((int)seed ^ (int)(seed >> 32)) : null,
            StopSequences = options?.StopSequences?.ToList() ?? [],
            PadTopK = pad.PadTopK ?? _options.PadTopK,
            RepetitionPenalty = _options.RepetitionPenalty,

            // A chat model ends its turn with a control token that is not always among the model's EOS ids.
            StopTokenIds = [.. _endOfTurnIds],
        };

        RewardMode mode = pad.Mode ?? _options.DefaultMode;
        if (pad.Mode == RewardMode.RewardModel && _options.RewardModel is null)
        {
            // Named after the option the caller set, so a server can point at its own field (pad.mode).
            throw new ArgumentException("The reward-model mode needs a personalized reward model and none is registered; use the 'self' mode.", PadOptionKeys.Mode);
        }

        DecodeRequest request = ChatRequestFactory.Create(
            _model, _template, prompt, preferences, generation, mode, _options.RewardModel, _options.RewardModelChatTemplate);
        string id = Guid.NewGuid().ToString("N");
        var summary = new PadRequestSummary(ModelId, preferences, activeRewards, generation.PadTopK, mode, span);
        return new Prepared(request, summary, "padresp-" + id, "padmsg-" + id, DateTimeOffset.UtcNow);
    }

    private void CheckTools(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode)
        {
            return;
        }

        if (options.ToolMode is RequiredChatToolMode required)
        {
            string mode = required.RequiredFunctionName is { } name ? $"RequireSpecific(\"{name}\")" : "RequireAny";
            throw new NotSupportedException(
                $"Model '{ModelId}' cannot call tools: PadKernel generates plain text and its chat templates have no tool-call format, " +
                $"so a request whose ToolMode is {mode} cannot be answered with the required tool call. Remove the tools or use a client that supports tool calling.");
        }

        if (_options.StrictToolSupport)
        {
            throw new NotSupportedException(
                $"Model '{ModelId}' cannot call tools, and StrictToolSupport refuses requests that offer tools ({tools.Count}) rather than answering them without calling any. " +
                "Remove the tools, set ToolMode to None, or turn StrictToolSupport off to answer in plain text.");
        }

        if (_logger is not null)
        {
            ToolsIgnored(_logger, ModelId, tools.Count, null);
        }
    }

    private async Task<IReadOnlyList<Preference>> ResolvePreferencesAsync(PadRequestOptions pad, CancellationToken cancellationToken)
    {
        string? bound = _user?.UserId;
        if (bound is not null && pad.UserId is not null && !string.Equals(bound, pad.UserId, StringComparison.Ordinal))
        {
            // A client bound to a user never reads another user's preferences.
            throw new ArgumentException($"'{PadOptionKeys.User}' names user '{pad.UserId}' but this client acts for another user.", PadOptionKeys.User);
        }

        if (pad.ResolvedPreferences is { } resolved)
        {
            // Resolved further up the pipeline (and keyed on there): apply exactly that set.
            return resolved;
        }

        string? user = bound ?? pad.UserId;
        if (_store is null || user is null || !(pad.UseStoredPreferences ?? _options.UseStoredPreferences))
        {
            return pad.Preferences;
        }

        IReadOnlyList<StoredPreference> stored = await _store.ListAsync(user, cancellationToken).ConfigureAwait(false);
        var merged = new List<Preference>(stored.Count + pad.Preferences.Count);
        foreach (StoredPreference preference in stored)
        {
            if (!pad.Preferences.Any(p => PreferenceText.SameText(p.Text, preference.Text)))
            {
                merged.Add(new Preference(preference.Text, preference.Weight));
            }
        }

        merged.AddRange(pad.Preferences);
        return merged;
    }

    // Also how pad serve renders a prompt to count its tokens, so the count is of exactly what will be decoded.
    internal static List<PromptMessage> ToPromptMessages(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var prompt = new List<PromptMessage>();
        if (!string.IsNullOrEmpty(instructions))
        {
            prompt.Add(new PromptMessage(PromptRole.System, instructions));
        }

        foreach (ChatMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            string text = message.Text;
            if (text.Length == 0 && message.Role != ChatRole.User)
            {
                // Function calls and results carry no text; the templates have no tool turns to render them in.
                continue;
            }

            PromptRole role = message.Role == ChatRole.System ? PromptRole.System
                : message.Role == ChatRole.Assistant ? PromptRole.Assistant
                : PromptRole.User;
            prompt.Add(new PromptMessage(role, text));
        }

        if (!prompt.Any(m => m.Role == PromptRole.User))
        {
            throw new ArgumentException("The conversation needs at least one user message.", nameof(messages));
        }

        return prompt;
    }

    private static readonly Action<ILogger, string, int, Exception?> ToolsIgnored = LoggerMessage.Define<string, int>(
        LogLevel.Warning,
        new EventId(1, "ToolsIgnored"),
        "Model '{ModelId}' cannot call tools: the request offered {ToolCount} tool(s) with ToolMode auto and is answered in plain text without calling any. Set StrictToolSupport to refuse such requests.");

    private sealed record Prepared(DecodeRequest Request, PadRequestSummary Summary, string ResponseId, string MessageId, DateTimeOffset CreatedAt);
}
