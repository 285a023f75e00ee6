using System.Text.Json;
using System.Text.Json.Serialization;
using PadKernel.Extensions.AI.Serialization;

namespace PadKernel.Server.Protocol;

/// <summary>Reads and writes a list of preferences (see <see cref="PreferenceListJson"/>); errors become 400s naming the field.</summary>
internal sealed class PreferenceListConverter : JsonConverter<List<PreferenceInput>>
{
    public override List<PreferenceInput>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PreferenceListJson.Read(ref reader, message => new ProtocolJsonException(message))?.Select(p => new PreferenceInput(p.Text, p.Weight)).ToList();

    public override void Write(Utf8JsonWriter writer, List<PreferenceInput> value, JsonSerializerOptions options) =>
        PreferenceListJson.Write(writer, value.Select(p => (p.Text, p.Weight)));
}
