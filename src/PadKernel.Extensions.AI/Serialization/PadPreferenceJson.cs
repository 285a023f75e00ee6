using System.Buffers;
using System.Text.Json;

namespace PadKernel.Extensions.AI.Serialization;

/// <summary>
/// The one reader and writer of preference lists in JSON, shared by the request options, the Semantic Kernel settings
/// and the HTTP server: a string, or an array whose items are strings or <c>{"text", "weight"}</c> objects. Anything else
/// — a wrong type, an unknown property, a non-finite weight — is a <see cref="JsonException"/> whose message says what is
/// wrong (callers name the field), never silently dropped.
/// </summary>
public static class PadPreferenceJson
{
    /// <summary>What a preference list may be, for messages.</summary>
    public const string Expected = "a string, or an array of strings or {\"text\", \"weight\"} objects";

    /// <summary>Reads the list at the reader's current token; null for JSON null.</summary>
    /// <exception cref="JsonException">The value is not a preference list.</exception>
    public static List<PadPreference>? ReadList(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [new PadPreference(reader.GetString()!)];
            case JsonTokenType.StartObject:
                return [ReadObject(ref reader)];
            case JsonTokenType.StartArray:
                var list = new List<PadPreference>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(reader.TokenType switch
                    {
                        JsonTokenType.String => new PadPreference(reader.GetString()!),
                        JsonTokenType.StartObject => ReadObject(ref reader),
                        _ => throw new JsonException($"items must be strings or {{\"text\", \"weight\"}} objects, not JSON {Describe(reader.TokenType)}"),
                    });
                }

                return list;
            default:
                throw new JsonException($"expected {Expected}, not JSON {Describe(reader.TokenType)}");
        }
    }

    /// <summary>Writes the list as an array of <c>{"text", "weight"}</c> objects (the weight only when set).</summary>
    public static void WriteList(Utf8JsonWriter writer, IEnumerable<PadPreference> preferences)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(preferences);
        writer.WriteStartArray();
        foreach (PadPreference preference in preferences)
        {
            WriteObject(writer, preference.Text, preference.Weight, source: null);
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads <c>pad_preference_layers</c>: an array of <c>{"source", "weight", "preferences"}</c> objects.</summary>
    internal static List<PadPreferenceLayer> ReadLayers(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array of {{\"source\", \"weight\", \"preferences\"}} objects, not JSON {Describe(reader.TokenType)}");
        }

        var layers = new List<PadPreferenceLayer>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"layers must be {{\"source\", \"weight\", \"preferences\"}} objects, not JSON {Describe(reader.TokenType)}");
            }

            string? source = null;
            float? weight = null;
            List<PadPreference>? preferences = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (Is(name, "source"))
                {
                    source = ReadString(ref reader, "source");
                }
                else if (Is(name, "weight"))
                {
                    weight = ReadWeight(ref reader);
                }
                else if (Is(name, "preferences"))
                {
                    preferences = ReadList(ref reader);
                }
                else
                {
                    throw new JsonException($"unknown property '{name}' (a layer has 'source', 'weight' and 'preferences')");
                }
            }

            layers.Add(new PadPreferenceLayer(source ?? throw new JsonException("a layer needs 'source'"), preferences ?? [], weight));
        }

        return layers;
    }

    /// <summary>Writes <c>pad_preference_layers</c>.</summary>
    internal static void WriteLayers(Utf8JsonWriter writer, IEnumerable<PadPreferenceLayer> layers)
    {
        writer.WriteStartArray();
        foreach (PadPreferenceLayer layer in layers)
        {
            writer.WriteStartObject();
            writer.WriteString("source", layer.Source);
            if (layer.Weight is float weight)
            {
                writer.WriteNumber("weight", weight);
            }

            writer.WritePropertyName("preferences");
            WriteList(writer, layer.Preferences);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads <c>pad_resolved_preferences</c>: an array of <c>{"text", "weight", "source"}</c> objects.</summary>
    internal static List<PadResolvedPreference> ReadResolved(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array of {{\"text\", \"weight\", \"source\"}} objects, not JSON {Describe(reader.TokenType)}");
        }

        var resolved = new List<PadResolvedPreference>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"items must be {{\"text\", \"weight\", \"source\"}} objects, not JSON {Describe(reader.TokenType)}");
            }

            (string text, float? weight, string? source) = ReadFields(ref reader, allowSource: true);
            resolved.Add(new PadResolvedPreference(text, weight, source ?? PadResolvedPreference.RequestSource));
        }

        return resolved;
    }

    /// <summary>Writes <c>pad_resolved_preferences</c>.</summary>
    internal static void WriteResolved(Utf8JsonWriter writer, IEnumerable<PadResolvedPreference> preferences)
    {
        writer.WriteStartArray();
        foreach (PadResolvedPreference preference in preferences)
        {
            WriteObject(writer, preference.Text, preference.Weight, preference.Source);
        }

        writer.WriteEndArray();
    }

    /// <summary>Returns what <paramref name="write"/> writes as a <see cref="JsonElement"/>: it serializes the same way under any serializer options and needs no reflection.</summary>
    internal static JsonElement ToElement(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Names a JSON token in plain words.</summary>
    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.String => "string",
        _ => token.ToString().ToLowerInvariant(),
    };

    private static PadPreference ReadObject(ref Utf8JsonReader reader)
    {
        (string text, float? weight, _) = ReadFields(ref reader, allowSource: false);
        return new PadPreference(text, weight);
    }

    private static (string Text, float? Weight, string? Source) ReadFields(ref Utf8JsonReader reader, bool allowSource)
    {
        string? text = null;
        float? weight = null;
        string? source = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (Is(name, "text"))
            {
                text = ReadString(ref reader, "text");
            }
            else if (Is(name, "weight"))
            {
                weight = ReadWeight(ref reader);
            }
            else if (allowSource && Is(name, "source"))
            {
                source = ReadString(ref reader, "source");
            }
            else
            {
                throw new JsonException($"unknown property '{name}' (a preference has 'text' and 'weight')");
            }
        }

        return (text ?? throw new JsonException("a preference object needs 'text'"), weight, source);
    }

    private static void WriteObject(Utf8JsonWriter writer, string text, float? weight, string? source)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        if (weight is float w)
        {
            writer.WriteNumber("weight", w);
        }

        if (source is not null)
        {
            writer.WriteString("source", source);
        }

        writer.WriteEndObject();
    }

    private static string ReadString(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"'{name}' must be a string, not JSON {Describe(reader.TokenType)}");

    private static float? ReadWeight(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetDouble(out double w) && double.IsFinite(w) && Math.Abs(w) <= float.MaxValue => (float)w,
        _ => throw new JsonException("'weight' must be a finite number"),
    };

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
