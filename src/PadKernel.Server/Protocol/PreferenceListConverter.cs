using System.Text.Json;
using System.Text.Json.Serialization;

namespace PadKernel.Server.Protocol;

/// <summary>
/// Reads a list of preferences: an array whose items are strings or <c>{"text", "weight"}</c> objects (a single
/// string is read as a list of one).
/// </summary>
internal sealed class PreferenceListConverter : JsonConverter<List<PreferenceInput>>
{
    private const string Expected = "expected a string or an array of strings or {\"text\", \"weight\"} objects";

    public override List<PreferenceInput>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [new PreferenceInput(reader.GetString()!, null)];
            case JsonTokenType.StartArray:
                var list = new List<PreferenceInput>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadItem(ref reader));
                }

                return list;
            default:
                throw new ProtocolJsonException(Expected);
        }
    }

    public override void Write(Utf8JsonWriter writer, List<PreferenceInput> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (PreferenceInput p in value)
        {
            writer.WriteStartObject();
            writer.WriteString("text", p.Text);
            if (p.Weight is float w)
            {
                writer.WriteNumber("weight", w);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static PreferenceInput ReadItem(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new PreferenceInput(reader.GetString()!, null);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ProtocolJsonException(Expected);
        }

        string? text = null;
        float? weight = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "text":
                    text = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new ProtocolJsonException("'text' must be a string");
                    break;
                case "weight":
                    weight = reader.TokenType == JsonTokenType.Number && reader.TryGetSingle(out float w) && float.IsFinite(w)
                        ? w
                        : throw new ProtocolJsonException("'weight' must be a finite number");
                    break;
                default:
                    throw new ProtocolJsonException($"unknown property '{name}' (a preference has 'text' and 'weight')");
            }
        }

        return new PreferenceInput(text ?? throw new ProtocolJsonException("a preference object needs 'text'"), weight);
    }
}
