using System.Text.Json;

namespace PadKernel.Extensions.AI.Serialization;

/// <summary>
/// The one reader and writer of a preference list in JSON, shared by the server's protocol and the Semantic Kernel
/// settings: a string, or an array whose items are strings or <c>{"text", "weight"}</c> objects. Anything else — a
/// wrong type, an unknown property, a non-finite weight — is an error from the caller's <c>error</c> factory, never
/// silently dropped.
/// </summary>
internal static class PreferenceListJson
{
    public const string Expected = "a string, or an array of strings or {\"text\", \"weight\"} objects";

    /// <summary>Reads the list at the reader's current token (null for JSON null).</summary>
    public static List<(string Text, float? Weight)>? Read(ref Utf8JsonReader reader, Func<string, Exception> error)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [(reader.GetString()!, null)];
            case JsonTokenType.StartArray:
                var list = new List<(string, float?)>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadItem(ref reader, error));
                }

                return list;
            default:
                throw error($"expected {Expected}, not JSON {reader.TokenType}");
        }
    }

    /// <summary>Writes the list as an array of objects (the weight only when set).</summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<(string Text, float? Weight)> preferences)
    {
        writer.WriteStartArray();
        foreach ((string text, float? weight) in preferences)
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            if (weight is float w)
            {
                writer.WriteNumber("weight", w);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static (string Text, float? Weight) ReadItem(ref Utf8JsonReader reader, Func<string, Exception> error)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return (reader.GetString()!, null);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw error($"items must be strings or {{\"text\", \"weight\"}} objects, not JSON {reader.TokenType}");
        }

        string? text = null;
        float? weight = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (string.Equals(name, "text", StringComparison.OrdinalIgnoreCase))
            {
                text = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw error("'text' must be a string");
            }
            else if (string.Equals(name, "weight", StringComparison.OrdinalIgnoreCase))
            {
                weight = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.Number when reader.TryGetSingle(out float w) && float.IsFinite(w) => w,
                    _ => throw error("'weight' must be a finite number"),
                };
            }
            else
            {
                throw error($"unknown property '{name}' (a preference has 'text' and 'weight')");
            }
        }

        return (text ?? throw error("a preference object needs 'text'"), weight);
    }
}
