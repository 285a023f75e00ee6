using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Llama2c;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>The ONNX export and the managed llama2.c runtime give the same text for the same prompts and preferences.</summary>
public sealed class CrossRuntimeTests
{
    private static readonly Lazy<Llama2cModel> Llama2c = new(() =>
    {
        string folder = Path.GetFullPath(TestData.StoriesFolder);
        string checkpoint = Path.Combine(folder, "stories260K.bin");
        Assert.True(File.Exists(checkpoint), $"Test model missing: {checkpoint} (set PADKERNEL_MODELS to the shared models folder).");
        return Llama2cModel.Load(checkpoint, Path.Combine(folder, "tok512.bin"));
    });

    [Theory]
    [MemberData(nameof(GoldenTests.Cases), MemberType = typeof(GoldenTests))]
    public void OnnxAndLlama2cRuntimesWriteTheSameText(int index)
    {
        JsonElement golden = TestModels.GoldenCases()[index];
        GenerationResult onnx = PadDecoder.Generate(GoldenTests.GoldenRequest(TestModels.Get(TestModels.Stories), golden));
        GenerationResult managed = PadDecoder.Generate(GoldenTests.GoldenRequest(Llama2c.Value, golden));

        Assert.Equal(managed.TokenIds, onnx.TokenIds);
        Assert.Equal(managed.Text, onnx.Text);
    }

    [Fact]
    public void BothRuntimesAgreeOnAnUnseenPromptWithTwoPreferences()
    {
        var options = new GenerationOptions { MaxTokens = 80, Temperature = 0, PadTopK = 12 };
        Preference[] preferences = [new("The story is about a cat.", 1.5f), new("Everyone is happy.", 1f)];
        GenerationResult onnx = PadDecoder.Generate(PadPrompts.CreateRawRequest(TestModels.Get(TestModels.Stories), "A little bird sat on a tree", preferences, options));
        GenerationResult managed = PadDecoder.Generate(PadPrompts.CreateRawRequest(Llama2c.Value, "A little bird sat on a tree", preferences, options));

        Assert.Equal(managed.Text, onnx.Text);
    }
}
