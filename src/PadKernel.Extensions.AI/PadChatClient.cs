using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
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
/// One model instance serves any number of clients and concurrent requests: each request decodes in its own sequences.
/// The client itself holds no per-request state, so it is cheap to create per scope (per user).
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

    /// <summary>Initializes a new instance of the <see cref="PadChatClient"/> class.</summary>
    /// <param name="model">The base model; the client does not own it (a host disposes models).</param>
    /// <param name="options">Client settings; copied.</param>
    /// <param name="preferenceStore">Where users' preferences are kept; null for request preferences only.</param>
    /// <param name="userContext">The user this client acts for; null for a client that serves any user through <c>pad_user</c>.</param>
    public PadChatClient(ILanguageModel model, PadChatClientOptions? options = null, IPreferenceStore? preferenceStore = null, IPadUserContext? userContext = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _options = options?.Clone() ?? new PadChatClientOptions();
        _store = preferenceStore;
        _user = userContext;
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
        GenerationResult result = await Task.Run(() => PadDecoder.Generate(prepared.Request, cancellationToken), cancellationToken).ConfigureAwait(false);
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
        await foreach (GenerationUpdate update in PadDecoder.DecodeAsync(prepared.Request, cancellationToken).ConfigureAwait(false))
        {
            outputTokens += update.TokenId >= 0 ? 1 : 0;
            if (update.FinishReason is FinishReason finish)
            {
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

    /// <summary>Returns the preferences a request would apply: the user's stored ones merged with the request's own (the request wins on the same text).</summary>
    public async Task<IReadOnlyList<Preference>> ResolvePreferencesAsync(ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        PadRequestOptions pad = PadRequestOptions.Parse(options?.AdditionalProperties, _options.DefaultWeight);
        return await ResolvePreferencesAsync(pad, cancellationToken).ConfigureAwait(false);
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
        if (options?.ModelId is { Length: > 0 } requested && !string.Equals(requested, ModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"This client serves model '{ModelId}', not '{requested}'.", nameof(options));
        }

        PadRequestOptions pad = PadRequestOptions.Parse(options?.AdditionalProperties, _options.DefaultWeight);
        IReadOnlyList<PromptMessage> prompt = ToPromptMessages(messages, options?.Instructions);
        IReadOnlyList<Preference> preferences = await ResolvePreferencesAsync(pad, cancellationToken).ConfigureAwait(false);

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
        return new Prepared(request, "padresp-" + id, "padmsg-" + id, DateTimeOffset.UtcNow);
    }

    private async Task<IReadOnlyList<Preference>> ResolvePreferencesAsync(PadRequestOptions pad, CancellationToken cancellationToken)
    {
        string? bound = _user?.UserId;
        if (bound is not null && pad.UserId is not null && !string.Equals(bound, pad.UserId, StringComparison.Ordinal))
        {
            // A client bound to a user never reads another user's preferences.
            throw new ArgumentException($"'{PadOptionKeys.User}' names user '{pad.UserId}' but this client acts for another user.", PadOptionKeys.User);
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

    private static List<PromptMessage> ToPromptMessages(IEnumerable<ChatMessage> messages, string? instructions)
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

    private sealed record Prepared(DecodeRequest Request, string ResponseId, string MessageId, DateTimeOffset CreatedAt);
}
