using System.Text.Json;
using PadKernel.Testing;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>Runs <c>tests/node/onnxruntime-reference.mjs</c>: the same model through ONNX Runtime's JavaScript binding.</summary>
internal static class NodeReference
{
    public static float[][] LastLogits(string modelFolder, IReadOnlyList<int[]> sequences)
    {
        string stdout = NodeScript.RunAsync("onnxruntime-reference.mjs", "onnxruntime-node", JsonSerializer.Serialize(new { model = modelFolder, sequences })).GetAwaiter().GetResult();
        using JsonDocument document = JsonDocument.Parse(stdout);
        return document.RootElement.GetProperty("logits").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray())
            .ToArray();
    }
}
