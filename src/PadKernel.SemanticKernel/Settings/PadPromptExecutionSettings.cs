using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;

namespace PadKernel.SemanticKernel;

/// <summary>
/// Semantic Kernel execution settings for PadKernel: the <c>pad_*</c> options of <see cref="PadOptionKeys"/> as typed
/// properties, plus the common generation settings. Serialized under the same snake_case names, so this JSON works
/// in a prompt config (<c>execution_settings</c>), in <see cref="PromptExecutionSettings.ExtensionData"/> and through
/// Semantic Kernel's <c>ToChatOptions</c>:
/// <code>
/// { "max_tokens": 64, "pad_preferences": [{ "text": "The story is sad.", "weight": 2 }], "pad_weight": 1, "pad_top_k": 10,
///   "pad_mode": "self", "pad_user": "alice", "pad_use_stored": true }
/// </code>
/// </summary>
/// <remarks>
/// A <c>pad_*</c> key that is not one of these, or <c>pad_*</c> keys nested inside another object (for example under
/// <c>"extension_data"</c>), is an <see cref="ArgumentException"/> (from <see cref="FromExecutionSettings"/> and from the
/// request), never ignored.
/// </remarks>
public sealed class PadPromptExecutionSettings : PromptExecutionSettings
{
    private IList<PadPreference>? _preferences;
    private float? _preferenceWeight;
    private int? _padTopK;
    private RewardMode? _rewardMode;
    private string? _user;
    private bool? _useStoredPreferences;
    private int? _maxTokens;
    private float? _temperature;
    private float? _topP;
    private int? _topK;
    private long? _seed;
    private IList<string>? _stopSequences;

    /// <summary>Gets or sets the request's own preferences (<c>pad_preferences</c>); they add to the user's stored ones.</summary>
    [JsonPropertyName(PadOptionKeys.Preferences)]
    [JsonConverter(typeof(PadPreferencesJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<PadPreference>? Preferences
    {
        get => _preferences;
        set
        {
            ThrowIfFrozen();
            if (value is not null)
            {
                foreach (PadPreference preference in value)
                {
                    ArgumentNullException.ThrowIfNull(preference, nameof(value));
                    preference.Validate();
                }
            }

            _preferences = value;
        }
    }

    /// <summary>Gets or sets the weight of <see cref="Preferences"/> given without one (<c>pad_weight</c>); the model's default (1) when null. 0 gives plain decoding.</summary>
    [JsonPropertyName(PadOptionKeys.Weight)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? PreferenceWeight
    {
        get => _preferenceWeight;
        set
        {
            ThrowIfFrozen();
            if (value is float weight && !float.IsFinite(weight))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The preference weight (pad_weight) must be a finite number.");
            }

            _preferenceWeight = value;
        }
    }

    /// <summary>Gets or sets PAD's candidate-set size K (<c>pad_top_k</c>, ≥ 1); the model's default (10) when null.</summary>
    [JsonPropertyName(PadOptionKeys.TopK)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PadTopK
    {
        get => _padTopK;
        set
        {
            ThrowIfFrozen();
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "PAD's top-k (pad_top_k) must be at least 1.");
            }

            _padTopK = value;
        }
    }

    /// <summary>Gets or sets the reward source (<c>pad_mode</c>: <c>self</c> or <c>reward_model</c>); the model's default when null.</summary>
    [JsonPropertyName(PadOptionKeys.Mode)]
    [JsonConverter(typeof(PadRewardModeJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RewardMode? RewardMode
    {
        get => _rewardMode;
        set => Set(ref _rewardMode, value);
    }

    /// <summary>
    /// Gets or sets the user whose stored preferences apply (<c>pad_user</c>). Set it from the app's authenticated
    /// identity, never from user input. A kernel resolved in a user's scope already acts for that user and refuses another.
    /// </summary>
    [JsonPropertyName(PadOptionKeys.User)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User
    {
        get => _user;
        set
        {
            ThrowIfFrozen();
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("The user id (pad_user) must be non-empty.", nameof(value));
            }

            _user = value;
        }
    }

    /// <summary>Gets or sets whether the user's stored preferences apply (<c>pad_use_stored</c>); true when null.</summary>
    [JsonPropertyName(PadOptionKeys.UseStored)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? UseStoredPreferences
    {
        get => _useStoredPreferences;
        set => Set(ref _useStoredPreferences, value);
    }

    /// <summary>Gets or sets the token limit (<c>max_tokens</c>); the model's default when null.</summary>
    [JsonPropertyName("max_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTokens
    {
        get => _maxTokens;
        set => Set(ref _maxTokens, value);
    }

    /// <summary>Gets or sets the sampling temperature (<c>temperature</c>); 0 (greedy) by default.</summary>
    [JsonPropertyName("temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? Temperature
    {
        get => _temperature;
        set => Set(ref _temperature, value);
    }

    /// <summary>Gets or sets nucleus sampling's probability mass (<c>top_p</c>).</summary>
    [JsonPropertyName("top_p")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? TopP
    {
        get => _topP;
        set => Set(ref _topP, value);
    }

    /// <summary>Gets or sets the sampler's top-k (<c>top_k</c>; not PAD's candidate set, see <see cref="PadTopK"/>).</summary>
    [JsonPropertyName("top_k")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TopK
    {
        get => _topK;
        set => Set(ref _topK, value);
    }

    /// <summary>Gets or sets the sampling seed (<c>seed</c>).</summary>
    [JsonPropertyName("seed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seed
    {
        get => _seed;
        set => Set(ref _seed, value);
    }

    /// <summary>Gets or sets sequences that end the answer (<c>stop_sequences</c>).</summary>
    [JsonPropertyName("stop_sequences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? StopSequences
    {
        get => _stopSequences;
        set => Set(ref _stopSequences, value);
    }

    /// <summary>
    /// Returns <paramref name="executionSettings"/> as <see cref="PadPromptExecutionSettings"/>: the same instance when it
    /// already is one, new default settings for null, otherwise a copy with its <c>pad_*</c> and generation keys read into
    /// the typed properties (as Semantic Kernel's own connectors do).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown <c>pad_*</c> key, a value of the wrong shape, or <c>pad_*</c> keys nested under another key.</exception>
    public static PadPromptExecutionSettings FromExecutionSettings(PromptExecutionSettings? executionSettings)
    {
        switch (executionSettings)
        {
            case null:
                return new PadPromptExecutionSettings();
            case PadPromptExecutionSettings pad:
                pad.ThrowIfInvalidExtensionData();
                return pad;
        }

        PadPromptExecutionSettings? settings;
        try
        {
            string json = JsonSerializer.Serialize(executionSettings, executionSettings.GetType(), JsonOptions);
            settings = JsonSerializer.Deserialize<PadPromptExecutionSettings>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The execution settings are not valid PadKernel settings: {e.Message}", nameof(executionSettings), e);
        }

        settings!.FunctionChoiceBehavior = executionSettings.FunctionChoiceBehavior;
        settings.ThrowIfInvalidExtensionData();
        return settings;
    }

    /// <inheritdoc/>
    public override PromptExecutionSettings Clone() => new PadPromptExecutionSettings
    {
        ModelId = ModelId,
        ServiceId = ServiceId,
        FunctionChoiceBehavior = FunctionChoiceBehavior,
        ExtensionData = ExtensionData is null ? null : new Dictionary<string, object>(ExtensionData),
        Preferences = Preferences?.ToList(),
        PreferenceWeight = PreferenceWeight,
        PadTopK = PadTopK,
        RewardMode = RewardMode,
        User = User,
        UseStoredPreferences = UseStoredPreferences,
        MaxTokens = MaxTokens,
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        Seed = Seed,
        StopSequences = StopSequences?.ToList(),
    };

    /// <inheritdoc/>
    public override void Freeze()
    {
        if (IsFrozen)
        {
            return;
        }

        // Lists are copied read-only so the settings cannot change through a reference kept by the caller.
        if (_preferences is not null)
        {
            _preferences = new ReadOnlyCollection<PadPreference>(_preferences.ToArray());
        }

        if (_stopSequences is not null)
        {
            _stopSequences = new ReadOnlyCollection<string>(_stopSequences.ToArray());
        }

        base.Freeze();
    }

    // Semantic Kernel's conventions: snake_case names come from the attributes; numbers may be strings in hand-written JSON.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private void Set<T>(ref T field, T value)
    {
        ThrowIfFrozen();
        field = value;
    }

    /// <summary>
    /// Throws for <c>pad_*</c> keys in <see cref="PromptExecutionSettings.ExtensionData"/>: after deserialization only the
    /// keys the typed properties did not take are left there, so an unknown or nested <c>pad_*</c> key is a mistake, and a
    /// known one set by hand would compete with its typed property. Keys without the prefix belong to other connectors.
    /// </summary>
    internal void ThrowIfInvalidExtensionData()
    {
        if (ExtensionData is not { Count: > 0 } data)
        {
            return;
        }

        _ = PadRequestOptions.Parse(data.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
        if (data.Keys.FirstOrDefault(k => k.StartsWith(PadOptionKeys.Prefix, StringComparison.OrdinalIgnoreCase)) is { } key)
        {
            throw new ArgumentException($"'{key}' is in the ExtensionData of PadPromptExecutionSettings; set its typed property instead.", key);
        }
    }
}
