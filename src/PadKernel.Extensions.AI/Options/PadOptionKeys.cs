namespace PadKernel.Extensions.AI;

/// <summary>
/// The keys PadKernel reads from <c>ChatOptions.AdditionalProperties</c>: the wire form of <see cref="PadRequestOptions"/>
/// (snake_case, the way Semantic Kernel passes <c>PromptExecutionSettings.ExtensionData</c> through). Write them with the
/// <c>ChatOptions</c> extension methods (<c>WithPadPreferences</c>, <c>WithPadOptions</c>, ...) rather than by hand.
/// Keys compare case-insensitively. Any other key that starts with <see cref="Prefix"/> is refused; keys without the
/// prefix belong to other components and are ignored.
/// </summary>
public static class PadOptionKeys
{
    /// <summary>The prefix of every PadKernel key.</summary>
    public const string Prefix = "pad_";

    /// <summary>The request's own preferences: a list of <c>{text, weight}</c> objects (a string or a list of strings is read too).</summary>
    public const string Preferences = "pad_preferences";

    /// <summary>The weight of request preferences that do not carry their own (a number; the model's default weight, 1, otherwise).</summary>
    public const string Weight = "pad_weight";

    /// <summary>PAD's candidate-set size K (a whole number ≥ 1; the model's default, 10, otherwise).</summary>
    public const string TopK = "pad_top_k";

    /// <summary>The reward source: <c>self</c> (self-contrast) or <c>reward_model</c>.</summary>
    public const string Mode = "pad_mode";

    /// <summary>The user whose stored preferences apply (a string). A client bound to a user only accepts that user's id.</summary>
    public const string User = "pad_user";

    /// <summary>Whether the user's stored preferences apply (a boolean; default true).</summary>
    public const string UseStored = "pad_use_stored";

    /// <summary>
    /// Further preference layers between the user's stored preferences and the request's own (for example an agent's
    /// persona, then a session's preferences): a list of <c>{source, weight, preferences}</c> objects, applied in order.
    /// </summary>
    public const string PreferenceLayers = "pad_preference_layers";

    /// <summary>
    /// The preferences that apply, already resolved (stored, layers and the request's own, merged): a list of
    /// <c>{text, weight, source}</c> objects. <see cref="PadPersonalizationChatClient"/> writes it before any app middleware
    /// sees the request, so caches and loggers key on it; <see cref="PadChatClient"/> applies exactly these.
    /// </summary>
    public const string ResolvedPreferences = "pad_resolved_preferences";

    /// <summary>
    /// A content hash of <see cref="ResolvedPreferences"/> (lowercase hex of texts and weights), written with it: a short key
    /// for logs and telemetry that changes whenever the applied preference set changes. PadKernel does not read it.
    /// </summary>
    public const string PreferencesHash = "pad_preferences_hash";

    /// <summary>Gets every key PadKernel understands.</summary>
    public static IReadOnlyList<string> All { get; } = [Preferences, Weight, TopK, Mode, User, UseStored, PreferenceLayers, ResolvedPreferences, PreferencesHash];
}
