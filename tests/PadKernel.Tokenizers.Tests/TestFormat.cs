using System.Text.Json;

namespace PadKernel.Tokenizers.Tests;

/// <summary>Short renderings of texts and id lists for failure messages.</summary>
internal static class TestFormat
{
    public static string Show(string text) => JsonSerializer.Serialize(text.Length > 80 ? text[..80] + "…" : text);

    public static string Ids(IEnumerable<int> ids) =>
        ids.Count() > 40 ? string.Join(",", ids.Take(40)) + ",…" : string.Join(",", ids);
}
