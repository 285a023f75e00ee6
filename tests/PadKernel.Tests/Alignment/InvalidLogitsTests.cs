using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Tests.TestDoubles;

namespace PadKernel.Tests.Alignment;

/// <summary>NaN and infinite logits stop decoding with a typed error naming the model and step, in every mode.</summary>
public sealed class InvalidLogitsTests
{
    private const int PromptLength = 5; // BOS + "Once" as bytes

    public static TheoryData<float, float> Cases() => new()
    {
        { float.NaN, 0f },
        { float.PositiveInfinity, 0f },
        { float.NegativeInfinity, 0f },
        { float.NaN, 0.8f },
        { float.PositiveInfinity, 0.8f },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlainDecodingStopsAtTheBadStep(float poison, float temperature)
    {
        using var model = new ScriptedModel(1) { PoisonAfter = PromptLength + 3, PoisonValue = poison };
        var updates = new List<GenerationUpdate>();
        var error = Assert.Throws<InvalidLogitsException>(() =>
        {
            foreach (GenerationUpdate update in PadDecoder.Decode(PadPrompts.CreateRawRequest(model, "Once", [], Options(temperature))))
            {
                updates.Add(update);
            }
        });

        Assert.Equal(3, updates.Count);
        Assert.Equal(3, error.Step);
        Assert.Equal(model.Info.ModelId, error.ModelId);
        Assert.Contains("step 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PadStopsWhenTheBaseLogitsAreBad(float poison, float temperature)
    {
        using var model = new ScriptedModel(1) { PoisonAfter = PromptLength + 2, PoisonValue = poison };

        // The reward context is longer than the base one: it reads a clean model, so only the base logits go bad.
        using var reward = new ScriptedModel(2);
        int[] context = [1, .. "Once"u8.ToArray().Select(b => b + 3)];
        var request = new DecodeRequest
        {
            Model = model,
            Context = context,
            Rewards = [new RewardContext(reward, [1, .. "A dog.\n\nOnce"u8.ToArray().Select(b => b + 3)], 1f, "A dog.")],
            Options = Options(temperature),
        };

        var error = Assert.Throws<InvalidLogitsException>(() => PadDecoder.Generate(request));
        Assert.Equal(2, error.Step);
        Assert.Equal(model.Info.ModelId, error.ModelId);
    }

    [Fact]
    public void PadNamesTheRewardModelWhenItsLogitsAreBad()
    {
        using var model = new ScriptedModel(1);

        // The reward model's logit 7 is NaN from the start; K is the whole vocabulary, so the stage reads it.
        using var reward = new ScriptedModel(2) { PoisonAfter = 0, PoisonValue = float.NaN };
        var request = new DecodeRequest
        {
            Model = model,
            Context = [1, .. "Once"u8.ToArray().Select(b => b + 3)],
            Rewards = [new RewardContext(reward, [1, .. "Once"u8.ToArray().Select(b => b + 3)], 1f, "reward")],
            Options = new GenerationOptions { MaxTokens = 20, Temperature = 0f, PadTopK = model.Info.VocabularySize },
        };

        var error = Assert.Throws<InvalidLogitsException>(() => PadDecoder.Generate(request));
        Assert.Equal(reward.Info.ModelId, error.ModelId);
        Assert.Equal(0, error.Step);
    }

    private static GenerationOptions Options(float temperature) => new() { MaxTokens = 20, Temperature = temperature, Seed = 3 };
}
