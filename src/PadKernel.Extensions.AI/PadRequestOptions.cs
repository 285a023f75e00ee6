using System.Collections;
using System.Globalization;
using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI;

/// <summary>
/// The PadKernel part of one request, parsed from <c>ChatOptions.AdditionalProperties</c> (see <see cref="PadOptionKeys"/>).
/// </summary>
/// <remarks>
/// Values may be CLR values (<see cref="string"/>, any numeric type, <see cref="bool"/>, <see cref="Preference"/>,
/// sequences, dictionaries with <c>text</c>/<c>weight</c> keys), <see cref="JsonElement"/>s, or exactly what Semantic
/// Kernel's <c>PromptExecutionSettingsExtensions.ToChatOptions</c> makes of JSON: strings, <see cref="double"/>s,
/// <see cref="bool"/>s, null, lazy <c>IEnumerable&lt;string?&gt;</c>/<c>IEnumerable&lt;double&gt;</c>/<c>IEnumerable&lt;bool&gt;</c>
/// for arrays of those, and the original <see cref="JsonElement"/> for objects and arrays of objects.
/// A value of the wrong shape is an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is the key.
/// </remarks>
public sealed class PadRequestOptions
{
    /// <summary>Gets the request's own preferences (weights already resolved with <see cref="Weight"/>).</summary>
    public IReadOnlyList<Preference> Preferences { get; init; } = [];

    /// <summary>Gets the default weight given (<c>pad_weight</c>), or null.</summary>
    public float? Weight { get; init; }

    /// <summary>Gets PAD's candidate-set size (<c>pad_top_k</c>), or null for the client's default.</summary>
    public int? PadTopK { get; init; }

    /// <summary>Gets the reward source (<c>pad_mode</c>), or null for the client's default.</summary>
    public RewardMode? Mode { get; init; }

    /// <summary>Gets the user id given (<c>pad_user</c>), or null.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets whether stored preferences apply (<c>pad_use_stored</c>), or null when the request does not say.</summary>
    public bool? UseStoredPreferences { get; init; }

    /// <summary>Gets the already resolved preferences (<c>pad_resolved_preferences</c>), or null when the request was not personalized yet.</summary>
    public IReadOnlyList<Preference>? ResolvedPreferences { get; init; }

    /// <summary>Gets the hash of the resolved preferences (<c>pad_preferences_hash</c>), or null.</summary>
    public string? PreferencesHash { get; init; }

    /// <summary>Parses the PadKernel keys of a request's additional properties; null or empty gives the defaults.</summary>
    /// <param name="properties">The additional properties (other keys are ignored).</param>
    /// <param name="defaultWeight">The weight of preferences given without one when <c>pad_weight</c> is absent.</param>
    /// <exception cref="ArgumentException">
    /// An unknown <c>pad_*</c> key, a value of the wrong type, or <c>pad_*</c> keys nested in an object under another key
    /// (for example <c>{"extension_data": {"pad_preferences": ...}}</c>, which would otherwise be ignored);
    /// <see cref="ArgumentException.ParamName"/> is the key.
    /// </exception>
    public static PadRequestOptions Parse(IEnumerable<KeyValuePair<string, object?>>? properties, float defaultWeight = 1f)
    {
        if (properties is null)
        {
            return new PadRequestOptions();
        }

        object? preferences = null;
        string? preferencesKey = null;
        float? weight = null;
        int? topK = null;
        RewardMode? mode = null;
        string? user = null;
        bool? useStored = null;
        object? resolved = null;
        string? resolvedKey = null;
        string? hash = null;
        foreach ((string key, object? value) in properties)
        {
            if (!IsPadKey(key))
            {
                ThrowIfNestedPadKey(key, value);
                continue;
            }

            switch (key.ToLowerInvariant())
            {
                case PadOptionKeys.Preferences:
                    preferences = value;
                    preferencesKey = key;
                    break;
                case PadOptionKeys.Weight:
                    weight = value is null ? null : ToWeight(value, key);
                    break;
                case PadOptionKeys.TopK:
                    topK = value is null ? null : ToPositiveInt(value, key);
                    break;
                case PadOptionKeys.Mode:
                    mode = value is null ? null : ToMode(value, key);
                    break;
                case PadOptionKeys.User:
                    user = value is null ? null : ToText(value, key);
                    if (user is not null)
                    {
                        PreferenceText.ValidateUserId(user, key);
                    }

                    break;
                case PadOptionKeys.UseStored:
                    useStored = value is null ? null : ToBool(value, key);
                    break;
                case PadOptionKeys.ResolvedPreferences:
                    resolved = value;
                    resolvedKey = key;
                    break;
                case PadOptionKeys.PreferencesHash:
                    hash = value is null ? null : ToText(value, key);
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown PadKernel option '{key}'. Known options: {string.Join(", ", PadOptionKeys.All)}.", key);
            }
        }

        return new PadRequestOptions
        {
            Preferences = preferences is null ? [] : ToPreferences(preferences, weight ?? defaultWeight, preferencesKey!),
            Weight = weight,
            PadTopK = topK,
            Mode = mode,
            UserId = user,
            UseStoredPreferences = useStored,
            ResolvedPreferences = resolved is null ? null : ToPreferences(resolved, defaultWeight, resolvedKey!),
            PreferencesHash = hash,
        };
    }

    /// <summary>Parses a <c>pad_mode</c> value: <c>self</c> (also <c>self_contrast</c>) or <c>reward_model</c> (also <c>rm</c>).</summary>
    public static RewardMode ParseMode(string value, string key = PadOptionKeys.Mode)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant().Replace('-', '_') switch
        {
            "self" or "self_contrast" or "selfcontrast" => RewardMode.SelfContrast,
            "reward_model" or "rewardmodel" or "rm" => RewardMode.RewardModel,
            _ => throw new ArgumentException($"'{key}' must be 'self' or 'reward_model', not '{value}'.", key),
        };
    }

    // A settings object serialized one level too deep leaves PadKernel keys inside another key's object: refuse it
    // rather than generate as if no preference had been given.
    private static void ThrowIfNestedPadKey(string? key, object? value)
    {
        string? nested = value switch
        {
            JsonElement { ValueKind: JsonValueKind.Object } json => json.EnumerateObject().Select(p => p.Name).FirstOrDefault(IsPadKey),
            IEnumerable<KeyValuePair<string, object?>> pairs => pairs.Select(p => p.Key).FirstOrDefault(IsPadKey),
            IDictionary dictionary => dictionary.Keys.OfType<string>().FirstOrDefault(IsPadKey),
            _ => null,
        };
        if (nested is not null)
        {
            throw new ArgumentException(
                $"'{nested}' is nested under '{key}'; PadKernel options go at the top level of the request's additional properties (a prompt execution settings' ExtensionData), not inside another object.",
                key);
        }
    }

    private static bool IsPadKey(string? key) => key is not null && key.StartsWith(PadOptionKeys.Prefix, StringComparison.OrdinalIgnoreCase);

    private static List<Preference> ToPreferences(object value, float defaultWeight, string key)
    {
        var result = new List<Preference>();
        try
        {
            switch (value)
            {
                case string text:
                    result.Add(MakePreference(text, defaultWeight, key));
                    break;
                case JsonElement { ValueKind: JsonValueKind.String } json:
                    result.Add(MakePreference(json.GetString()!, defaultWeight, key));
                    break;
                case JsonElement { ValueKind: JsonValueKind.Array } json:
                    foreach (JsonElement item in json.EnumerateArray())
                    {
                        result.Add(ToPreference(item, defaultWeight, key));
                    }

                    break;
                case JsonElement { ValueKind: JsonValueKind.Object } json:
                    result.Add(ToPreference(json, defaultWeight, key));
                    break;
                case Preference or IDictionary or IEnumerable<KeyValuePair<string, object?>>:
                    result.Add(ToPreference(value, defaultWeight, key));
                    break;
                case IEnumerable items:
                    foreach (object? item in items)
                    {
                        result.Add(ToPreference(item, defaultWeight, key));
                    }

                    break;
                default:
                    throw WrongType(key, value, "a string, a list of strings, or a list of {text, weight} objects");
            }
        }
        catch (InvalidOperationException e)
        {
            // Semantic Kernel turns a JSON array into a lazy Select over its first element's kind; a mixed array throws
            // only while it is enumerated.
            throw new ArgumentException($"'{key}' must be a string, a list of strings, or a list of {{text, weight}} objects: {e.Message}", key, e);
        }

        return result;
    }

    private static Preference ToPreference(object? item, float defaultWeight, string key)
    {
        switch (item)
        {
            case string text:
                return MakePreference(text, defaultWeight, key);
            case Preference preference:
                return MakePreference(preference.Text, preference.Weight, key);
            case JsonElement { ValueKind: JsonValueKind.String } json:
                return MakePreference(json.GetString()!, defaultWeight, key);
            case JsonElement { ValueKind: JsonValueKind.Object } json:
            {
                string? text = null;
                float weight = defaultWeight;
                foreach (JsonProperty property in json.EnumerateObject())
                {
                    if (property.NameEquals("text") || string.Equals(property.Name, "text", StringComparison.OrdinalIgnoreCase))
                    {
                        text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw WrongType(key, property.Value, "a string 'text'");
                    }
                    else if (string.Equals(property.Name, "weight", StringComparison.OrdinalIgnoreCase))
                    {
                        weight = property.Value.ValueKind == JsonValueKind.Null ? defaultWeight : ToWeight(property.Value, key);
                    }
                    else
                    {
                        throw new ArgumentException($"'{key}' preference objects have 'text' and 'weight', not '{property.Name}'.", key);
                    }
                }

                return MakePreference(text ?? throw new ArgumentException($"'{key}' preference objects need a 'text'.", key), weight, key);
            }

            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return FromPairs(pairs, defaultWeight, key);
            case IDictionary dictionary:
                return FromPairs(Entries(dictionary), defaultWeight, key);
            default:
                throw WrongType(key, item, "a string or a {text, weight} object in the list");
        }
    }

    // A non-generic dictionary (for example what a YAML reader makes of a mapping) enumerates DictionaryEntry values.
    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        IDictionaryEnumerator entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
        {
            yield return new KeyValuePair<string, object?>(entries.Key.ToString() ?? "", entries.Value);
        }
    }

    private static Preference FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs, float defaultWeight, string key)
    {
        string? text = null;
        float weight = defaultWeight;
        foreach ((string name, object? value) in pairs)
        {
            if (string.Equals(name, "text", StringComparison.OrdinalIgnoreCase))
            {
                text = ToText(value ?? throw new ArgumentException($"'{key}' preference 'text' must not be null.", key), key);
            }
            else if (string.Equals(name, "weight", StringComparison.OrdinalIgnoreCase))
            {
                weight = value is null ? defaultWeight : ToWeight(value, key);
            }
            else
            {
                throw new ArgumentException($"'{key}' preference objects have 'text' and 'weight', not '{name}'.", key);
            }
        }

        return MakePreference(text ?? throw new ArgumentException($"'{key}' preference objects need a 'text'.", key), weight, key);
    }

    private static Preference MakePreference(string text, float weight, string key)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException($"'{key}' holds an empty preference.", key);
        }

        PreferenceText.ValidateCharacters(text, key, allowLineBreaks: true);

        if (!float.IsFinite(weight))
        {
            throw new ArgumentException($"'{key}' holds a preference weight that is not a finite number.", key);
        }

        return new Preference(text.Trim(), weight);
    }

    private static string ToText(object value, string key) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString()!,
        _ => throw WrongType(key, value, "a string"),
    };

    private static float ToWeight(object value, string key)
    {
        double number = ToNumber(value, key);
        if (!double.IsFinite(number) || Math.Abs(number) > float.MaxValue)
        {
            throw new ArgumentException($"'{key}' must be a finite number.", key);
        }

        return (float)number;
    }

    private static int ToPositiveInt(object value, string key)
    {
        // Semantic Kernel hands every JSON number over as a double: accept integral doubles.
        double number = ToNumber(value, key);
        if (number != Math.Floor(number) || number < 1 || number > int.MaxValue)
        {
            throw new ArgumentException($"'{key}' must be a whole number ≥ 1, not {number.ToString(CultureInfo.InvariantCulture)}.", key);
        }

        return (int)number;
    }

    private static double ToNumber(object value, string key) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        uint ui => ui,
        ulong ul => ul,
        decimal m => (double)m,
        JsonElement { ValueKind: JsonValueKind.Number } json => json.GetDouble(),
        string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        JsonElement { ValueKind: JsonValueKind.String } json when double.TryParse(json.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => throw WrongType(key, value, "a number"),
    };

    private static bool ToBool(object value, string key) => value switch
    {
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        string text when bool.TryParse(text, out bool parsed) => parsed,
        JsonElement { ValueKind: JsonValueKind.String } json when bool.TryParse(json.GetString(), out bool parsed) => parsed,
        _ => throw WrongType(key, value, "a boolean"),
    };

    private static RewardMode ToMode(object value, string key) => value switch
    {
        RewardMode mode => mode,
        _ => ParseMode(ToText(value, key), key),
    };

    private static ArgumentException WrongType(string key, object? value, string expected)
    {
        string actual = value switch
        {
            null => "null",
            JsonElement json => "JSON " + json.ValueKind.ToString().ToLowerInvariant(),
            _ => value.GetType().Name,
        };
        return new ArgumentException($"'{key}' must be {expected}, not {actual}.", key);
    }
}
