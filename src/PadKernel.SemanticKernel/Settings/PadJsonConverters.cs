using System.Text.Json;
using System.Text.Json.Serialization;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;

namespace PadKernel.SemanticKernel;

/// <summary>
/// Reads <c>pad_preferences</c> in every shape <see cref="PadRequestOptions"/> accepts (a string, a list of strings, a list
/// of <c>{text, weight}</c> objects, mixed) and writes a list of objects. A property other than <c>text</c>/<c>weight</c>
/// is an error rather than silently dropped.
/// </summary>
internal sealed class PadPreferencesJsonConverter : JsonConverter<IList<PadPreference>>
{
    public override IList<PadPreference>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [ReadOne(ref reader)];
            case JsonTokenType.StartArray:
                var list = new List<PadPreference>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadOne(ref reader));
                }

                return list;
            default:
                throw new JsonException($"'{PadOptionKeys.Preferences}' must be a string, a list of strings, or a list of {{text, weight}} objects, not JSON {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, IList<PadPreference> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (PadPreference preference in value)
        {
            writer.WriteStartObject();
            writer.WriteString("text", preference.Text);
            if (preference.Weight is float weight)
            {
                writer.WriteNumber("weight", weight);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static PadPreference ReadOne(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return Checked(new PadPreference(reader.GetString()!));
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"'{PadOptionKeys.Preferences}' items must be strings or {{text, weight}} objects, not JSON {reader.TokenType}.");
        }

        string? text = null;
        float? weight = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (string.Equals(name, "text", StringComparison.OrdinalIgnoreCase) && reader.TokenType == JsonTokenType.String)
            {
                text = reader.GetString();
            }
            else if (string.Equals(name, "weight", StringComparison.OrdinalIgnoreCase) && reader.TokenType is JsonTokenType.Number or JsonTokenType.Null)
            {
                weight = reader.TokenType == JsonTokenType.Null ? null : reader.GetSingle();
            }
            else
            {
                throw new JsonException($"'{PadOptionKeys.Preferences}' objects have a string 'text' and a number 'weight', not '{name}' ({reader.TokenType}).");
            }
        }

        return Checked(new PadPreference(text ?? throw new JsonException($"'{PadOptionKeys.Preferences}' objects need a 'text'."), weight));
    }

    private static PadPreference Checked(PadPreference preference)
    {
        try
        {
            preference.Validate();
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"'{PadOptionKeys.Preferences}': {e.Message}", e);
        }

        return preference;
    }
}

/// <summary>Reads and writes <c>pad_mode</c> as PadKernel's names: <c>self</c> or <c>reward_model</c>.</summary>
internal sealed class PadRewardModeJsonConverter : JsonConverter<RewardMode>
{
    public override RewardMode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"'{PadOptionKeys.Mode}' must be 'self' or 'reward_model', not JSON {reader.TokenType}.");
        }

        try
        {
            return PadRequestOptions.ParseMode(reader.GetString()!);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, RewardMode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToName(value));

    internal static string ToName(RewardMode mode) => mode == RewardMode.RewardModel ? "reward_model" : "self";
}
