using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;

namespace PadKernel.SemanticKernel;

/// <summary>
/// Semantic Kernel execution settings for PadKernel: <see cref="PadRequestOptions"/> as typed properties under their
/// <c>pad_*</c> names, plus the common generation settings (<c>PadPromptExecutionSettings.Generation.cs</c>). Serialized
/// under the same snake_case names, so this JSON works in a prompt config (<c>execution_settings</c>), in
/// <see cref="PromptExecutionSettings.ExtensionData"/> and through Semantic Kernel's <c>ToChatOptions</c>:
/// <code>
/// { "max_tokens": 64, "pad_preferences": [{ "text": "The story is sad.", "weight": 2 }], "pad_weight": 1, "pad_top_k": 10,
///   "pad_mode": "self", "pad_user": "alice", "pad_use_stored": true }
/// </code>
/// </summary>
/// <remarks>
/// The PAD properties are a view of one <see cref="PadRequestOptions"/> (<see cref="ToPadOptions"/>), validated by its
/// rules. A <c>pad_*</c> key that is not one of these, or <c>pad_*</c> keys nested inside another object (for example
/// under <c>"extension_data"</c>), is an <see cref="ArgumentException"/> (from <see cref="FromExecutionSettings"/> and
/// from the request), never ignored.
/// </remarks>
public sealed partial class PadPromptExecutionSettings : PromptExecutionSettings
{
    // Semantic Kernel's conventions: snake_case names come from the attributes; numbers may be strings in hand-written JSON.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private PadRequestOptions _pad = PadRequestOptions.Empty;

    /// <summary>Gets or sets the request's own preferences (<c>pad_preferences</c>); they add to the user's stored ones.</summary>
    [JsonPropertyName(PadOptionKeys.Preferences)]
    [JsonConverter(typeof(PadPreferencesJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PadPreference>? Preferences
    {
        get => _pad.Preferences;
        set => SetPad(_pad with { Preferences = value?.ToArray() });
    }

    /// <summary>Gets or sets the weight of <see cref="Preferences"/> given without one (<c>pad_weight</c>); the model's default (1) when null. 0 gives plain decoding.</summary>
    [JsonPropertyName(PadOptionKeys.Weight)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? PreferenceWeight
    {
        get => _pad.Weight;
        set => SetPad(_pad with { Weight = value });
    }

    /// <summary>Gets or sets PAD's candidate-set size K (<c>pad_top_k</c>, ≥ 1); the model's default (10) when null.</summary>
    [JsonPropertyName(PadOptionKeys.TopK)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PadTopK
    {
        get => _pad.TopK;
        set => SetPad(_pad with { TopK = value });
    }

    /// <summary>Gets or sets the reward source (<c>pad_mode</c>: <c>self</c> or <c>reward_model</c>); the model's default when null.</summary>
    [JsonPropertyName(PadOptionKeys.Mode)]
    [JsonConverter(typeof(PadRewardModeJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RewardMode? RewardMode
    {
        get => _pad.Mode;
        set => SetPad(_pad with { Mode = value });
    }

    /// <summary>
    /// Gets or sets the user whose stored preferences apply (<c>pad_user</c>). Set it from the app's authenticated
    /// identity, never from user input. A kernel resolved in a user's scope already acts for that user and refuses another.
    /// </summary>
    [JsonPropertyName(PadOptionKeys.User)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User
    {
        get => _pad.User;
        set => SetPad(_pad with { User = value });
    }

    /// <summary>Gets or sets whether the user's stored preferences apply (<c>pad_use_stored</c>); true when null.</summary>
    [JsonPropertyName(PadOptionKeys.UseStored)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? UseStoredPreferences
    {
        get => _pad.UseStoredPreferences;
        set => SetPad(_pad with { UseStoredPreferences = value });
    }

    /// <summary>Gets or sets preference layers applied between the stored preferences and <see cref="Preferences"/> (<c>pad_preference_layers</c>).</summary>
    [JsonPropertyName(PadOptionKeys.PreferenceLayers)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PadPreferenceLayer>? PreferenceLayers
    {
        get => _pad.Layers;
        set => SetPad(_pad with { Layers = value?.ToArray() });
    }

    /// <summary>Returns the PAD options these settings carry.</summary>
    public PadRequestOptions ToPadOptions() => _pad;

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
    public override PromptExecutionSettings Clone()
    {
        var clone = new PadPromptExecutionSettings
        {
            ModelId = ModelId,
            ServiceId = ServiceId,
            FunctionChoiceBehavior = FunctionChoiceBehavior,
            ExtensionData = ExtensionData is null ? null : new Dictionary<string, object>(ExtensionData),
            _pad = _pad,
        };
        CopyGenerationTo(clone);
        return clone;
    }

    /// <inheritdoc/>
    public override void Freeze()
    {
        if (!IsFrozen)
        {
            FreezeGeneration();
            base.Freeze();
        }
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

        _ = PadRequestOptions.Read(data.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
        if (data.Keys.FirstOrDefault(k => k.StartsWith(PadOptionKeys.Prefix, StringComparison.OrdinalIgnoreCase)) is { } key)
        {
            throw new ArgumentException($"'{key}' is in the ExtensionData of PadPromptExecutionSettings; set its typed property instead.", key);
        }
    }

    private void SetPad(PadRequestOptions pad)
    {
        ThrowIfFrozen();
        pad.Validate();
        _pad = pad;
    }

    private void Set<T>(ref T field, T value)
    {
        ThrowIfFrozen();
        field = value;
    }
}
