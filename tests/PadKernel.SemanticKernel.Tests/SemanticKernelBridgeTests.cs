using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using static PadKernel.SemanticKernel.Tests.StoryKernel;

namespace PadKernel.SemanticKernel.Tests;

/// <summary>
/// Semantic Kernel's own bridge (<c>PromptExecutionSettingsExtensions.ToChatOptions</c>, which round-trips a derived
/// settings type through JSON so every ExtensionData value arrives as a converted JsonElement) hands PadChatClient
/// options that generate what the same request with CLR values does.
/// </summary>
public sealed class SemanticKernelBridgeTests
{
    private static readonly Lazy<Llama2cModel> Model = new(() => (Llama2cModel)new Llama2cModelLoader().Load(Folder));

    /// <summary>Another connector's settings type: derived, so ToChatOptions takes its JSON round trip.</summary>
    private sealed class OtherConnectorSettings : PromptExecutionSettings;

    private static async Task<string> GenerateAsync(ChatOptions? options)
    {
        options ??= new ChatOptions();
        options.MaxOutputTokens = 40;
        return (await new PadChatClient(Model.Value).GetResponseAsync("Lily went to the park", options)).Text;
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
    public async Task ToChatOptions_SemanticKernelsConversion_GeneratesWhatClrValuesDo(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        Dictionary<string, object> clr = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value)!);

        string viaBridge = await GenerateAsync(new OtherConnectorSettings { ExtensionData = clr }.ToChatOptions(null));
        Assert.Equal(await GenerateAsync(new PromptExecutionSettings { ExtensionData = clr }.ToChatOptions(null)), viaBridge);
        Assert.NotEqual(await GenerateAsync(null), viaBridge);
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
