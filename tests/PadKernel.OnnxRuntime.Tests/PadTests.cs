using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>PAD through the core decoder on ONNX models: w = 0 is plain decoding, and every step is one batched run.</summary>
public sealed class PadTests
{
    public static TheoryData<string> Models() => [TestModels.Stories, TestModels.LlamaFp16];

    [Theory]
    [MemberData(nameof(Models))]
    public void ZeroWeightEqualsPlainGreedy(string name)
    {
        OnnxModel model = TestModels.Get(name);
        var options = new GenerationOptions { MaxTokens = 24, Temperature = 0 };
        GenerationResult plain = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once upon a time", [], options));
        GenerationResult zero = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once upon a time", [new Preference("The story is about a dog.", 0f)], options));

        Assert.NotEmpty(plain.TokenIds);
        Assert.Equal(plain.TokenIds, zero.TokenIds);
        Assert.Equal(plain.Text, zero.Text);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void PadRunsBaseAndRewardContextsInOneRunPerStep(string name)
    {
        // A private instance: the shared ones are used by tests running in parallel, which would move the counter.
        using OnnxModel model = OnnxModel.Load(TestModels.Path(name), TestModels.Options(name));
        var options = new GenerationOptions { MaxTokens = 16, Temperature = 0, PadTopK = 10 };
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once upon a time", [new Preference("The story is about a dog.", 2f)], options);

        // Each update appends the chosen token to both contexts; count the runs between consecutive updates.
        var runsPerStep = new List<long>();
        long? previous = null;
        foreach (GenerationUpdate update in PadDecoder.Decode(request))
        {
            long now = model.RunCount;
            if (previous is long before && update.FinishReason is null)
            {
                runsPerStep.Add(now - before);
            }

            previous = now;
        }

        Assert.NotEmpty(runsPerStep);
        Assert.All(runsPerStep, runs => Assert.Equal(1, runs));
    }

    [Fact]
    public void PadWithAWeightChangesTheStory()
    {
        // On the trained story model a strong preference must steer the text (the golden vectors pin the exact ids).
        OnnxModel model = TestModels.Get(TestModels.Stories);
        var options = new GenerationOptions { MaxTokens = 40, Temperature = 0 };
        GenerationResult plain = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once upon a time", [], options));
        GenerationResult steered = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once upon a time", [new Preference("The story is about a dog named Max.", 4f)], options));

        Assert.NotEqual(plain.TokenIds, steered.TokenIds);
    }
}
