using System.Text.Json;
using System.Text.Json.Serialization;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;
using PadKernel.Extensions.AI.Serialization;

namespace PadKernel.SemanticKernel;

/// <summary>
/// Reads <c>pad_preferences</c> with PadKernel's one preference-list reader (<see cref="PadPreferenceJson"/>: a string, a
/// list of strings, a list of <c>{text, weight}</c> objects, mixed) and writes a list of objects. A property other than
/// <c>text</c>/<c>weight</c> is an error rather than silently dropped.
/// </summary>
internal sealed class PadPreferencesJsonConverter : JsonConverter<IReadOnlyList<PadPreference>>
{
    public override IReadOnlyList<PadPreference>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            List<PadPreference>? preferences = PadPreferenceJson.ReadList(ref reader);
            new PadRequestOptions { Preferences = preferences }.Validate();
            return preferences;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new JsonException(e is ArgumentException ? e.Message : $"'{PadOptionKeys.Preferences}': {e.Message}.", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<PadPreference> value, JsonSerializerOptions options) =>
        PadPreferenceJson.WriteList(writer, value);
}

/// <summary>Reads and writes <c>pad_mode</c> as PadKernel's names: <c>self</c> or <c>reward_model</c> (<see cref="RewardModeConverter"/>).</summary>
internal sealed class PadRewardModeJsonConverter : JsonConverter<RewardMode>
{
    public override RewardMode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && RewardModeConverter.TryParse(reader.GetString(), out RewardMode mode)
            ? mode
            : throw new JsonException($"'{PadOptionKeys.Mode}' must be '{RewardModeConverter.SelfName}' or '{RewardModeConverter.RewardModelName}'.");

    public override void Write(Utf8JsonWriter writer, RewardMode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(RewardModeConverter.ToName(value));
}
