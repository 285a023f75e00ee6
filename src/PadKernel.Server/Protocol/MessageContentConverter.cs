using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PadKernel.Server.Protocol;

/// <summary>
/// Reads a message's <c>content</c>: a string, null, or an array of content parts of which only
/// <c>{"type":"text","text":...}</c> is supported; the text parts are joined.
/// </summary>
internal sealed class MessageContentConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                var text = new StringBuilder();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    text.Append(ReadPart(ref reader));
                }

                return text.ToString();
            default:
                throw new ProtocolJsonException("expected a string or an array of content parts");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    private static string ReadPart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ProtocolJsonException("expected content parts of the form {\"type\":\"text\",\"text\":\"...\"}");
        }

        string? type = null;
        string? text = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "type" when reader.TokenType == JsonTokenType.String:
                    type = reader.GetString();
                    break;
                case "text" when reader.TokenType == JsonTokenType.String:
                    text = reader.GetString();
                    break;
                default:
                    // Other members (cache_control and the like) do not change the text.
                    reader.Skip();
                    break;
            }
        }

        if (type != "text")
        {
            throw new ProtocolJsonException($"content parts of type '{type}' are not supported; only text parts are");
        }

        return text ?? throw new ProtocolJsonException("a text content part needs a string 'text'");
    }
}
