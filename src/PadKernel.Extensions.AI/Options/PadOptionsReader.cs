using System.Collections;
using System.Globalization;
using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Extensions.AI.Serialization;

namespace PadKernel.Extensions.AI;

/// <summary>
/// Reads the <c>pad_*</c> keys of <c>ChatOptions.AdditionalProperties</c> into <see cref="PadRequestOptions"/>. Every value
/// is read as the JSON it stands for: a <see cref="JsonElement"/> as it is, any other value as the JSON it serializes to.
/// That covers what the <c>ChatOptions</c> extension methods write, what a JSON front end hands over, and what Semantic
/// Kernel's bridge makes of settings (a <see cref="double"/> per number, a lazy sequence per array of strings) with one reader.
/// Numbers and booleans written as strings (what YAML readers produce) are read too.
/// </summary>
internal static class PadOptionsReader
{
    // Web defaults: CLR objects (a Preference, a dictionary) come out with the lower-case names the reader expects.
    private static readonly JsonSerializerOptions ValueJson = new(JsonSerializerDefaults.Web);

    /// <summary>Reads and validates the request's options and, when present, the resolved preferences.</summary>
    /// <exception cref="ArgumentException">
    /// An unknown <c>pad_*</c> key, a value of the wrong shape, or <c>pad_*</c> keys nested in an object under another key;
    /// <see cref="ArgumentException.ParamName"/> is the key.
    /// </exception>
    public static PadRequestOptions Read(IEnumerable<KeyValuePair<string, object?>>? properties, out PadResolvedPreferences? resolved)
    {
        resolved = null;
        if (properties is null)
        {
            return PadRequestOptions.Empty;
        }

        PadRequestOptions options = PadRequestOptions.Empty;
        foreach ((string key, object? value) in properties)
        {
            if (!IsPadKey(key))
            {
                ThrowIfNestedPadKey(key, value);
                continue;
            }

            if (value is null)
            {
                continue;
            }

            byte[] json = ToJson(value, key);
            var reader = new Utf8JsonReader(json);
            reader.Read();
            try
            {
                switch (key.ToLowerInvariant())
                {
                    case PadOptionKeys.Preferences:
                        options = options with { Preferences = PadPreferenceJson.ReadList(ref reader) };
                        break;
                    case PadOptionKeys.Weight:
                        options = options with { Weight = ReadWeight(ref reader) };
                        break;
                    case PadOptionKeys.TopK:
                        options = options with { TopK = ReadPositiveInt(ref reader) };
                        break;
                    case PadOptionKeys.Mode:
                        string mode = ReadString(ref reader);
                        options = options with
                        {
                            Mode = RewardModeConverter.TryParse(mode, out RewardMode parsed)
                                ? parsed
                                : throw new JsonException($"must be '{RewardModeConverter.SelfName}' or '{RewardModeConverter.RewardModelName}', not '{mode}'"),
                        };
                        break;
                    case PadOptionKeys.User:
                        options = options with { User = ReadString(ref reader) };
                        break;
                    case PadOptionKeys.UseStored:
                        options = options with { UseStoredPreferences = ReadBool(ref reader) };
                        break;
                    case PadOptionKeys.PreferenceLayers:
                        options = options with { Layers = PadPreferenceJson.ReadLayers(ref reader) };
                        break;
                    case PadOptionKeys.ResolvedPreferences:
                        resolved = new PadResolvedPreferences(PadPreferenceJson.ReadResolved(ref reader));
                        break;
                    case PadOptionKeys.PreferencesHash:
                        _ = ReadString(ref reader);
                        break;
                    default:
                        throw new ArgumentException($"Unknown PadKernel option '{key}'. Known options: {string.Join(", ", PadOptionKeys.All)}.", key);
                }
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"'{key}': {e.Message}.", key, e);
            }
        }

        options.Validate();
        resolved?.Validate();
        return options;
    }

    private static bool IsPadKey(string? key) => key is not null && key.StartsWith(PadOptionKeys.Prefix, StringComparison.OrdinalIgnoreCase);

    // A settings object serialized one level too deep leaves PadKernel keys inside another key's object: refuse it
    // rather than generate as if no preference had been given.
    private static void ThrowIfNestedPadKey(string key, object? value)
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

    private static byte[] ToJson(object value, string key)
    {
        if (value is JsonElement element)
        {
            return JsonSerializer.SerializeToUtf8Bytes(element);
        }

        if (value is double d && !double.IsFinite(d) || value is float f && !float.IsFinite(f))
        {
            throw new ArgumentException($"'{key}' must be a finite number.", key);
        }

        try
        {
            return value is RewardMode mode
                ? JsonSerializer.SerializeToUtf8Bytes(RewardModeConverter.ToName(mode))
                : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), ValueJson);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // Semantic Kernel turns a JSON array into a lazy Select over its first element's kind; a mixed array throws
            // only while it is enumerated.
            throw new ArgumentException($"'{key}' holds a value that is not valid JSON for this option: {e.Message}", key, e);
        }
    }

    private static string ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw WrongType("a string", reader.TokenType);

    private static double ReadNumber(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => throw WrongType("a number", reader.TokenType),
    };

    private static float ReadWeight(ref Utf8JsonReader reader)
    {
        double number = ReadNumber(ref reader);
        return double.IsFinite(number) && Math.Abs(number) <= float.MaxValue ? (float)number : throw new JsonException("must be a finite number");
    }

    private static int ReadPositiveInt(ref Utf8JsonReader reader)
    {
        // Semantic Kernel hands every JSON number over as a double: an integral double is a whole number.
        double number = ReadNumber(ref reader);
        return number == Math.Floor(number) && number >= 1 && number <= int.MaxValue
            ? (int)number
            : throw new JsonException($"must be a whole number ≥ 1, not {number.ToString(CultureInfo.InvariantCulture)}");
    }

    private static bool ReadBool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out bool parsed) => parsed,
        _ => throw WrongType("a boolean", reader.TokenType),
    };

    private static JsonException WrongType(string expected, JsonTokenType actual) =>
        new($"must be {expected}, not JSON {PadPreferenceJson.Describe(actual)}");
}
