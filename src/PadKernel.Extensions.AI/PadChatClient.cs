using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Prompts;

namespace PadKernel.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> that generates with PAD: it decodes a request with the preferences it resolved to
/// (<c>pad_resolved_preferences</c>, written by <see cref="PadPersonalizationChatClient"/>), or, in a pipeline without
/// that stage, with the preferences the request itself carries.
/// </summary>
/// <remarks>
/// <para>
/// One model instance serves any number of clients and concurrent requests: each request decodes in its own sequences.
/// The client holds no per-request state and reads no store; users' stored preferences are the personalization stage's
/// (<c>AddPadChatClient()</c> puts it first, a hand-built pipeline starts with <c>.UsePadPersonalization()</c>).
/// </para>
/// <para>Tools: see <see cref="PadClientDefaults.StrictToolSupport"/>; a request that requires a tool call is refused.</para>
/// <para>
/// Telemetry: inside a gen_ai span (<c>UseOpenTelemetry()</c>) the client adds PAD's attributes to it, and it records
/// the time per token; see <see cref="PadTelemetry"/>.
/// </para>
/// </remarks>
public sealed class PadChatClient : IChatClient
{
    private readonly ILanguageModel _model;
    private readonly PadChatClientOptions _options;
    private readonly ChatTemplate _template;
    private readonly ChatClientMetadata _metadata;
    private readonly int[] _endOfTurnIds;
    private readonly PadToolPolicy _tools;

    /// <summary>Initializes a new instance of the <see cref="PadChatClient"/> class.</summary>
    /// <param name="model">The base model; the client does not own it (a host disposes models).</param>
    /// <param name="options">Client settings; copied.</param>
    /// <param name="logger">Where warnings go (a request whose tools are ignored); null for none.</param>
    /// <exception cref="ArgumentException">A default in <see cref="PadChatClientOptions.Defaults"/> is out of range.</exception>
    public PadChatClient(ILanguageModel model, PadChatClientOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _options = options?.Clone() ?? new PadChatClientOptions();
        _options.Defaults.Validate();
        _template = _options.ChatTemplate ?? ChatTemplate.ForModel(model);
        _metadata = new ChatClientMetadata(_options.ProviderName, providerUri: null, defaultModelId: ModelId);
        _tools = new PadToolPolicy(_options.Defaults.StrictToolSupport, logger);
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
    /// <remarks>The streaming response, collected: both paths decode, count and report the same way.</remarks>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        PadDecodePlan plan = Plan(messages, options);
        int outputTokens = 0;
        int changedTokens = 0;
        long started = Stopwatch.GetTimestamp();
        await foreach (GenerationUpdate update in PadDecoder.DecodeAsync(plan.Request, cancellationToken).ConfigureAwait(false))
        {
            outputTokens += update.TokenId >= 0 ? 1 : 0;
            changedTokens += update.ChangedByPad ? 1 : 0;
            if (update.FinishReason is FinishReason finish)
            {
                PadTelemetry.Record(plan.Summary, changedTokens, outputTokens, Stopwatch.GetElapsedTime(started));
                List<AIContent> contents = update.Text.Length > 0 ? [new TextContent(update.Text)] : [];
                contents.Add(new UsageContent(plan.Usage(outputTokens)));
                yield return plan.Update(contents, finish == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length);
                yield break;
            }

            if (update.Text.Length > 0)
            {
                yield return plan.Update([new TextContent(update.Text)], null);
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

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(PadChatClientOptions) ? _options.Clone()
            : serviceType == typeof(ChatTemplate) ? _template
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_model) ? _model
            : null;
    }

    /// <summary>Does nothing: the client owns no model.</summary>
    public void Dispose()
    {
    }

    /// <summary>Builds the PAD decode request a chat request turns into (what the client runs), for inspection and tests.</summary>
    /// <exception cref="ArgumentException">The request is invalid (see <see cref="GetStreamingResponseAsync"/>).</exception>
    public DecodeRequest CreateDecodeRequest(IEnumerable<ChatMessage> messages, ChatOptions? options = null) => Plan(messages, options).Request;

    private PadDecodePlan Plan(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        _tools.Check(options, ModelId);
        if (options?.ModelId is { Length: > 0 } requested && !string.Equals(requested, ModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"This client serves model '{ModelId}', not '{requested}'.", nameof(options));
        }

        PadRequestOptions pad = PadOptionsReader.Read(options?.AdditionalProperties, out PadResolvedPreferences? resolved);
        resolved ??= PadPreferenceResolver.Merge([], pad);
        PadClientDefaults defaults = _options.Defaults;
        IReadOnlyList<Preference> preferences = resolved.Preferences.Select(p => p.ToPreference(defaults.DefaultWeight)).ToArray();
        var generation = new GenerationOptions
        {
            MaxTokens = options?.MaxOutputTokens ?? defaults.MaxOutputTokens,
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? 1f,
            TopK = options?.TopK ?? 0,
            Seed = options?.Seed is long seed ? unchecked((int)seed ^ (int)(seed >> 32)) : null,
            StopSequences = options?.StopSequences?.ToList() ?? [],
            PadTopK = pad.TopK ?? defaults.PadTopK,
            RepetitionPenalty = defaults.RepetitionPenalty,

            // A chat model ends its turn with a control token that is not always among the model's EOS ids.
            StopTokenIds = [.. _endOfTurnIds],
        };

        RewardMode mode = pad.Mode ?? defaults.Mode;
        if (pad.Mode == RewardMode.RewardModel && _options.RewardModel is null)
        {
            // Named after the option the caller set, so a server can point at its own field (pad.mode).
            throw new ArgumentException("The reward-model mode needs a personalized reward model and none is registered; use the 'self' mode.", PadOptionKeys.Mode);
        }

        DecodeRequest request = ChatRequestFactory.Create(
            _model, _template, PadChatMessageMapper.ToPromptMessages(messages, options?.Instructions), preferences, generation, mode, _options.RewardModel, _options.RewardModelChatTemplate);
        var summary = new PadRequestSummary(ModelId, preferences, resolved, generation.PadTopK, mode, PadTelemetry.CurrentChatSpan());
        return new PadDecodePlan(request, summary, ModelId);
    }
}
