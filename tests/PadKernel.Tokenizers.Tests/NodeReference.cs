using System.Diagnostics;
using System.Text;
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
        string nodeDir = Path.Combine(TestPaths.RepositoryRoot, "tests", "node");
        Assert.True(
            Directory.Exists(Path.Combine(nodeDir, "node_modules", "@huggingface", "tokenizers")),
            $"@huggingface/tokenizers is not installed in {nodeDir}: run scripts/setup.sh (npm ci there).");

        var start = new ProcessStartInfo("node", ["tokenizers-reference.mjs"])
        {
            WorkingDirectory = nodeDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started (is node on PATH?)");
        string input = JsonSerializer.Serialize(new { tokenizers = folders, texts });
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"node tokenizers-reference.mjs failed ({process.ExitCode}): {stderr.Result}");

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
