using System.Text.Json;
using System.Text.Json.Serialization;
using PadKernel.Extensions.AI;
using PadKernel.Extensions.AI.Serialization;

namespace PadKernel.Server.Protocol;

/// <summary>Reads and writes a list of preferences with PadKernel's one reader (<see cref="PadPreferenceJson"/>); errors become 400s naming the field.</summary>
internal sealed class PreferenceListConverter : JsonConverter<List<PadPreference>>
{
    public override List<PadPreference>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return PadPreferenceJson.ReadList(ref reader);
        }
        catch (JsonException e)
        {
            throw new ProtocolJsonException(e.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, List<PadPreference> value, JsonSerializerOptions options) =>
        PadPreferenceJson.WriteList(writer, value);
}
