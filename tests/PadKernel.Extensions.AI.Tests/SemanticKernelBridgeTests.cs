using System.Text.Json;
using Microsoft.Extensions.AI;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// PadChatClient fed exactly what Semantic Kernel's ToChatOptions hands over for a derived settings type (every
/// ExtensionData value round-tripped through JSON and converted back) generates what the same request with CLR values does.
/// </summary>
public sealed class SemanticKernelBridgeTests
{
    private const string Prompt = "Lily went to the park";

    private static async Task<string> GenerateAsync(IDictionary<string, object?> extensionData)
    {
        var options = new ChatOptions { MaxOutputTokens = 40, AdditionalProperties = [] };
        foreach ((string key, object? value) in extensionData)
        {
            options.AdditionalProperties[key] = value;
        }

        return (await new PadChatClient(StoryModel.Model).GetResponseAsync(Prompt, options)).Text;
    }

    public static TheoryData<string> ExtensionDataJson => new()
    {
        """{ "pad_preferences": "The story is sad. Everyone cried.", "pad_weight": 2, "pad_top_k": 10 }""",
        """{ "pad_preferences": ["The story is sad. Everyone cried.", "They ate cake and candy."], "pad_weight": 1.5, "pad_mode": "self" }""",
        """{ "pad_preferences": [{ "text": "The story is sad. Everyone cried.", "weight": 2 }, { "text": "They ate cake and candy.", "weight": 0.5 }], "pad_top_k": 12 }""",
        """{ "pad_preferences": [{ "text": "They ate cake and candy." }], "pad_weight": 3, "pad_use_stored": false, "other_connector_key": [1, 2] }""",
    };

    [Theory]
    [MemberData(nameof(ExtensionDataJson))]
    public async Task Bridge_shapes_generate_what_clr_values_do(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var bridged = new Dictionary<string, object?>();
        var clr = new Dictionary<string, object?>();
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            bridged[property.Name] = SemanticKernelShapes.Convert(property.Value.Clone());
            clr[property.Name] = ToClr(property.Value);
        }

        string viaBridge = await GenerateAsync(bridged);
        Assert.Equal(await GenerateAsync(clr), viaBridge);
        Assert.NotEqual(await GenerateAsync(new Dictionary<string, object?>()), viaBridge);
    }

    private static object? ToClr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt32(out int i) ? i : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => value.EnumerateArray().Select(ToClr).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value)),
        _ => null,
    };
}
