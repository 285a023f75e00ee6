using System.Text.Json;
using System.Text.Json.Serialization;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;
using PadKernel.Extensions.AI.Serialization;

namespace PadKernel.SemanticKernel;

/// <summary>
/// Reads <c>pad_preferences</c> in every shape <see cref="PadRequestOptions"/> accepts (a string, a list of strings, a list
/// of <c>{text, weight}</c> objects, mixed) and writes a list of objects. A property other than <c>text</c>/<c>weight</c>
/// is an error rather than silently dropped.
/// </summary>
internal sealed class PadPreferencesJsonConverter : JsonConverter<IList<PadPreference>>
{
    public override IList<PadPreference>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PreferenceListJson.Read(ref reader, message => new JsonException($"'{PadOptionKeys.Preferences}': {message}."))
            ?.Select(p => Checked(new PadPreference(p.Text, p.Weight))).ToList();

    public override void Write(Utf8JsonWriter writer, IList<PadPreference> value, JsonSerializerOptions options) =>
        PreferenceListJson.Write(writer, value.Select(p => (p.Text, p.Weight)));

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
