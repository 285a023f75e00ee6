using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>Runs <c>tests/node/onnxruntime-reference.mjs</c>: the same model through ONNX Runtime's JavaScript binding.</summary>
internal static class NodeReference
{
    public static float[][] LastLogits(string modelFolder, IReadOnlyList<int[]> sequences)
    {
        string nodeDir = Path.Combine(TestModels.RepositoryRoot, "tests", "node");
        Assert.True(
            Directory.Exists(Path.Combine(nodeDir, "node_modules", "onnxruntime-node")),
            $"onnxruntime-node is not installed in {nodeDir}: run scripts/setup.sh (npm ci --ignore-scripts there).");

        var start = new ProcessStartInfo("node", ["onnxruntime-reference.mjs"])
        {
            WorkingDirectory = nodeDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started (is node on PATH?)");
        process.StandardInput.Write(JsonSerializer.Serialize(new { model = modelFolder, sequences }));
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"node onnxruntime-reference.mjs failed ({process.ExitCode}): {stderr.Result}");

        using JsonDocument document = JsonDocument.Parse(stdout);
        return document.RootElement.GetProperty("logits").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray())
            .ToArray();
    }
}
