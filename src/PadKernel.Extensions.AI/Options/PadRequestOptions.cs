using PadKernel.Alignment;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI;

/// <summary>
/// PAD's options for one request: the one typed model of the <c>pad_*</c> keys (<see cref="PadOptionKeys"/>) that travel
/// in <c>ChatOptions.AdditionalProperties</c>. Write them with <c>chatOptions.WithPadOptions(...)</c> (or
/// <c>WithPadPreferences</c>, <c>WithPadUser</c>, ...) and read them with <c>chatOptions.GetPadOptions()</c>; every front end
/// (Semantic Kernel settings, the HTTP server's <c>pad</c> object, configuration) converts to this record once.
/// </summary>
/// <remarks>
/// Null means "not set": the model's defaults apply. <c>AdditionalProperties</c> stays the wire format because it is
/// what caches (MEAI's <c>DistributedCachingChatClient</c>), loggers and telemetry see and key on.
/// </remarks>
public sealed record PadRequestOptions
{
    /// <summary>Gets options that set nothing.</summary>
    public static PadRequestOptions Empty { get; } = new();

    /// <summary>Gets the request's own preferences (<c>pad_preferences</c>); they apply after stored ones and layers, and replace those with the same text.</summary>
    public IReadOnlyList<PadPreference>? Preferences { get; init; }

    /// <summary>Gets the weight of <see cref="Preferences"/> given without one (<c>pad_weight</c>); the model's default weight when null. 0 gives plain decoding.</summary>
    public float? Weight { get; init; }

    /// <summary>Gets PAD's candidate-set size K (<c>pad_top_k</c>, ≥ 1); the model's default when null.</summary>
    public int? TopK { get; init; }

    /// <summary>Gets the reward source (<c>pad_mode</c>); the model's default when null.</summary>
    public RewardMode? Mode { get; init; }

    /// <summary>Gets the user whose stored preferences apply (<c>pad_user</c>). Set it from an authenticated identity, never from what a user typed.</summary>
    public string? User { get; init; }

    /// <summary>Gets whether the user's stored preferences apply (<c>pad_use_stored</c>); true when null.</summary>
    public bool? UseStoredPreferences { get; init; }

    /// <summary>Gets preference layers applied between the stored preferences and <see cref="Preferences"/>, in order (<c>pad_preference_layers</c>).</summary>
    public IReadOnlyList<PadPreferenceLayer>? Layers { get; init; }

    /// <summary>
    /// Reads the <c>pad_*</c> keys of a property bag — <c>ChatOptions.AdditionalProperties</c> (what
    /// <c>chatOptions.GetPadOptions()</c> does), a Semantic Kernel <c>ExtensionData</c> or <c>KernelArguments</c>, an agent
    /// run's <c>AdditionalProperties</c> — with the rules every front end shares. Keys without the <c>pad_</c> prefix are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// An unknown <c>pad_*</c> key, a value of the wrong shape, or <c>pad_*</c> keys nested in an object under another key;
    /// <see cref="ArgumentException.ParamName"/> is the key.
    /// </exception>
    public static PadRequestOptions Read(IEnumerable<KeyValuePair<string, object?>>? properties) => PadOptionsReader.Read(properties, out _);

    /// <summary>Throws <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is the <c>pad_*</c> key of the first invalid value.</summary>
    public void Validate()
    {
        foreach (PadPreference preference in Preferences ?? [])
        {
            (preference ?? throw new ArgumentException($"'{PadOptionKeys.Preferences}' holds a null preference.", PadOptionKeys.Preferences)).Validate(PadOptionKeys.Preferences);
        }

        if (Weight is float weight && !float.IsFinite(weight))
        {
            throw new ArgumentException($"'{PadOptionKeys.Weight}' must be a finite number.", PadOptionKeys.Weight);
        }

        if (TopK < 1)
        {
            throw new ArgumentException($"'{PadOptionKeys.TopK}' must be a whole number ≥ 1, not {TopK}.", PadOptionKeys.TopK);
        }

        if (Mode is RewardMode mode && !Enum.IsDefined(mode))
        {
            throw new ArgumentException($"'{PadOptionKeys.Mode}' must be '{RewardModeConverter.SelfName}' or '{RewardModeConverter.RewardModelName}'.", PadOptionKeys.Mode);
        }

        if (User is not null)
        {
            PreferenceText.ValidateUserId(User, PadOptionKeys.User);
        }

        foreach (PadPreferenceLayer layer in Layers ?? [])
        {
            (layer ?? throw new ArgumentException($"'{PadOptionKeys.PreferenceLayers}' holds a null layer.", PadOptionKeys.PreferenceLayers)).Validate();
        }
    }
}
