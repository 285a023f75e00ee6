using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>Operator detection, which decides whether sequences of different lengths may share a run.</summary>
public sealed class OperatorScanTests
{
    [Fact]
    public void FindsTheFixturesAttentionOperators()
    {
        Assert.True(OnnxOperatorScan.Contains(Path.Combine(TestModels.Path(TestModels.LlamaFp16), "model.onnx"), "MultiHeadAttention"));
        Assert.False(OnnxOperatorScan.Contains(Path.Combine(TestModels.Path(TestModels.LlamaFp16), "model.onnx"), "GroupQueryAttention"));
        Assert.False(OnnxOperatorScan.Contains(Path.Combine(TestModels.Path(TestModels.Stories), "model.onnx"), "MultiHeadAttention"));
        Assert.True(TestModels.Get(TestModels.LlamaFp16).PaddedBatches);
        Assert.True(TestModels.Get(TestModels.Gpt2).PaddedBatches);
    }

    [Fact]
    public void FindsANameSplitAcrossReads()
    {
        string file = Path.GetTempFileName();
        try
        {
            byte[] data = new byte[(1 << 20) + 64];
            // The first read takes 1 MiB + 19 bytes (the name's length); the name starts 7 bytes before that boundary.
            "GroupQueryAttention"u8.CopyTo(data.AsSpan((1 << 20) + 12));
            File.WriteAllBytes(file, data);
            Assert.True(OnnxOperatorScan.Contains(file, "GroupQueryAttention"));
            Assert.False(OnnxOperatorScan.Contains(file, "MultiHeadAttention"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
