namespace PadKernel.Extensions.AI;

/// <summary>
/// The keys PadKernel reads from <c>ChatOptions.AdditionalProperties</c> (snake_case, the way Semantic Kernel passes
/// <c>PromptExecutionSettings.ExtensionData</c> through). Keys are compared case-insensitively. Any other key that
/// starts with <see cref="Prefix"/> is rejected; keys without the prefix are ignored.
/// </summary>
public static class PadOptionKeys
{
    /// <summary>The prefix of every PadKernel key.</summary>
    public const string Prefix = "pad_";

    /// <summary>Preferences for this request: a string, a list of strings, or a list of <c>{text, weight}</c> objects (mixing is allowed).</summary>
    public const string Preferences = "pad_preferences";

    /// <summary>The weight of request preferences that do not carry their own (a number; default 1).</summary>
    public const string Weight = "pad_weight";

    /// <summary>PAD's candidate-set size K (an integer ≥ 1; default from the client options, 10).</summary>
    public const string TopK = "pad_top_k";

    /// <summary>The reward source: <c>self</c> (self-contrast, the default) or <c>reward_model</c>.</summary>
    public const string Mode = "pad_mode";

    /// <summary>The user whose stored preferences apply (a string). A client bound to a user only accepts that user's id.</summary>
    public const string User = "pad_user";

    /// <summary>Whether the user's stored preferences apply (a boolean; default true). <c>false</c> uses only the request's own preferences.</summary>
    public const string UseStored = "pad_use_stored";

    /// <summary>
    /// The preferences that apply, already resolved (the user's stored ones merged with the request's own): a list of
    /// <c>{text, weight}</c> objects. <see cref="PadPersonalizationChatClient"/> writes it before any app middleware sees
    /// the request, so caches and loggers key on it; when present, <see cref="PadChatClient"/> applies exactly these and
    /// does not read the preference store again.
    /// </summary>
    public const string ResolvedPreferences = "pad_resolved_preferences";

    /// <summary>
    /// A content hash of <see cref="ResolvedPreferences"/> (lowercase hex, texts and weights), written with it: a short key
    /// for logs and telemetry that changes whenever the applied preference set changes. PadKernel does not read it.
    /// </summary>
    public const string PreferencesHash = "pad_preferences_hash";

    /// <summary>Gets every key PadKernel understands.</summary>
    public static IReadOnlyList<string> All { get; } = [Preferences, Weight, TopK, Mode, User, UseStored, ResolvedPreferences, PreferencesHash];
}
