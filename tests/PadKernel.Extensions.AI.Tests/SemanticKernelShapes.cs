using System.Text.Json;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// Reproduces the value shapes Semantic Kernel's bridge hands to an IChatClient. In
/// microsoft/semantic-kernel dotnet/src/SemanticKernel.Abstractions/AI/PromptExecutionSettingsExtensions.cs,
/// <c>ToChatOptions</c> copies every ExtensionData entry it does not map itself into ChatOptions.AdditionalProperties;
/// a JsonElement value (all of them when the settings are a derived type, which it round-trips through JSON) becomes:
/// string → string, number → double, true/false → bool, null → null; an array whose first element is a string, number
/// or boolean → a lazy Select over the array (IEnumerable of string?, double or bool); anything else (objects, arrays
/// of objects, empty arrays) stays the JsonElement.
/// </summary>
internal static class SemanticKernelShapes
{
    public static object? FromJson(string json) => Convert(JsonDocument.Parse(json).RootElement.Clone());

    /// <summary>What a derived PromptExecutionSettings (for example OpenAIPromptExecutionSettings) turns a CLR value into.</summary>
    public static object? RoundTrip(object? value) => Convert(JsonSerializer.SerializeToElement(value));

    public static object? Convert(JsonElement element)
    {
        object? value = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => element,
        };

        if (element.ValueKind == JsonValueKind.Array)
        {
            JsonElement.ArrayEnumerator items = element.EnumerateArray();
            JsonValueKind first = items.MoveNext() ? items.Current.ValueKind : JsonValueKind.Null;
            value = first switch
            {
                JsonValueKind.String => items.Select(e => e.GetString()),
                JsonValueKind.Number => items.Select(e => e.GetDouble()),
                JsonValueKind.True or JsonValueKind.False => items.Select(e => e.ValueKind == JsonValueKind.True),
                _ => value,
            };
        }

        return value;
    }
}
