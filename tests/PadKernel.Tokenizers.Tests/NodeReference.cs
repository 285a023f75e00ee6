using System.Text.Json;
using System.Text.Json.Nodes;

namespace PadKernel.Tokenizers.Tests;

/// <summary>One encoding by the reference implementation.</summary>
public sealed record ReferenceEncoding(int[] Ids, string Decoded);

/// <summary>The reference's encodings of one corpus for one tokenizer.</summary>
public sealed record ReferenceResult(ReferenceEncoding[] Plain, ReferenceEncoding[] Reference, string[][] Pieces);

/// <summary>Runs <c>tests/node/tokenizers-reference.mjs</c> (npm's <c>@huggingface/tokenizers</c>).</summary>
internal static class NodeReference
{
    public static Dictionary<string, ReferenceResult> Encode(IReadOnlyList<string> folders, IReadOnlyList<string> texts)
    {
        string stdout = NodeScript.RunAsync("tokenizers-reference.mjs", "@huggingface/tokenizers", JsonSerializer.Serialize(new { tokenizers = folders, texts })).GetAwaiter().GetResult();
        var root = JsonNode.Parse(stdout)!.AsObject();
        var results = new Dictionary<string, ReferenceResult>();
        foreach (string folder in folders)
        {
            var entry = root[folder]!;
            string[][] pieces = entry["pieces"]!.AsArray().Select(p => p!.AsArray().Select(x => x!.GetValue<string>()).ToArray()).ToArray();
            results[folder] = new ReferenceResult(Read(entry["plain"]!), Read(entry["reference"]!), pieces);
        }

        return results;
    }

    private static ReferenceEncoding[] Read(JsonNode node) =>
        node.AsArray().Select(e => new ReferenceEncoding(
            e!["ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray(),
            e["decoded"]!.GetValue<string>())).ToArray();
}
