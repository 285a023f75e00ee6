using System.Diagnostics;
using System.Diagnostics.Metrics;
using PadKernel.Alignment;

namespace PadKernel.Extensions.AI;

/// <summary>
/// What <see cref="PadChatClient"/> reports to OpenTelemetry: attributes on the gen_ai chat span that
/// <c>UseOpenTelemetry()</c> creates, and the <see cref="TokenDurationMetric"/> histogram of the <see cref="MeterName"/> meter.
/// </summary>
/// <remarks>
/// The attributes go on the current <see cref="Activity"/> while the client decodes, when that activity is a gen_ai
/// span (it carries <c>gen_ai.operation.name</c>, as <c>OpenTelemetryChatClient</c>'s spans do) and records data;
/// without such a span nothing is tagged. <see cref="ChangedTokens"/> counts the decoder's per-token
/// <c>GenerationUpdate.ChangedByPad</c> flag, which costs no trace.
/// </remarks>
public static class PadTelemetry
{
    /// <summary>The name of PadKernel's meter (<c>AddMeter("PadKernel")</c>).</summary>
    public const string MeterName = "PadKernel";

    /// <summary>
    /// Histogram (seconds): a request's decode time (prefill and steps) divided by its generated tokens. Tagged with
    /// <c>gen_ai.request.model</c>, <see cref="RewardMode"/> and <see cref="ActiveRewards"/>; PAD's overhead per token
    /// is the difference between series with <see cref="ActiveRewards"/> &gt; 0 and the plain series (0) of the same model.
    /// </summary>
    public const string TokenDurationMetric = "padkernel.decode.token_duration";

    /// <summary>Span attribute (int): the number of preferences the request applied (stored and request ones, merged).</summary>
    public const string PreferenceCount = "pad.preferences.count";

    /// <summary>Span attribute (double[]): the weights of the applied preferences, in order.</summary>
    public const string PreferenceWeights = "pad.preferences.weights";

    /// <summary>Span attribute (string): the content hash of the applied preference set (as <c>pad_preferences_hash</c>); never the texts.</summary>
    public const string PreferencesHash = "pad.preferences.hash";

    /// <summary>Span attribute (string[]): where each applied preference came from, in order (<c>stored</c>, a layer's source, or <c>request</c>).</summary>
    public const string PreferenceSources = "pad.preferences.sources";

    /// <summary>Span attribute and metric tag (int): reward contexts decoded alongside the base context (preferences with a nonzero weight).</summary>
    public const string ActiveRewards = "pad.rewards.active";

    /// <summary>Span attribute (int): PAD's candidate-set size K.</summary>
    public const string TopK = "pad.top_k";

    /// <summary>Span attribute and metric tag (string): the reward source, <c>self</c> or <c>reward_model</c>.</summary>
    public const string RewardMode = "pad.reward_mode";

    /// <summary>
    /// Span attribute (int): generated tokens where PAD chose another token than the base model's top token (with
    /// sampling this also counts what sampling itself changed); 0 when no reward is active.
    /// </summary>
    public const string ChangedTokens = "pad.tokens.changed";

    private const string GenAiOperation = "gen_ai.operation.name";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> TokenDuration = Meter.CreateHistogram<double>(
        TokenDurationMetric, "s", "Decode time per generated token (prefill included), by number of active PAD rewards.");

    /// <summary>Returns the current gen_ai span when it records data, otherwise null.</summary>
    internal static Activity? CurrentChatSpan() =>
        Activity.Current is { IsAllDataRequested: true } activity && activity.GetTagItem(GenAiOperation) is not null ? activity : null;

    /// <summary>Tags the span with what PAD did and records the time per token.</summary>
    internal static void Record(PadRequestSummary request, int changedTokens, int outputTokens, TimeSpan elapsed)
    {
        if (request.Span is { } span)
        {
            span.SetTag(PreferenceCount, request.Preferences.Count);
            span.SetTag(PreferenceWeights, request.Preferences.Select(p => (double)p.Weight).ToArray());
            span.SetTag(PreferencesHash, request.Resolved.Hash);
            span.SetTag(PreferenceSources, request.Resolved.Preferences.Select(p => p.Source).ToArray());
            span.SetTag(ActiveRewards, request.ActiveRewards);
            span.SetTag(TopK, request.PadTopK);
            span.SetTag(RewardMode, ModeName(request.Mode));
            span.SetTag(ChangedTokens, changedTokens);
        }

        if (TokenDuration.Enabled && outputTokens > 0)
        {
            TokenDuration.Record(
                elapsed.TotalSeconds / outputTokens,
                new KeyValuePair<string, object?>("gen_ai.request.model", request.ModelId),
                new KeyValuePair<string, object?>(RewardMode, ModeName(request.Mode)),
                new KeyValuePair<string, object?>(ActiveRewards, request.ActiveRewards));
        }
    }

    private static string ModeName(Alignment.RewardMode mode) => RewardModeConverter.ToName(mode);
}

/// <summary>What telemetry needs to know about one request.</summary>
internal sealed record PadRequestSummary(string ModelId, IReadOnlyList<Preference> Preferences, PadResolvedPreferences Resolved, int PadTopK, RewardMode Mode, Activity? Span)
{
    /// <summary>Gets the reward contexts decoded alongside the base context: preferences with a nonzero weight.</summary>
    public int ActiveRewards { get; } = Preferences.Count(p => p.Weight != 0f);
}
