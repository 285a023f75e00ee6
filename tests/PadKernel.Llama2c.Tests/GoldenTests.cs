using PadKernel.Alignment;
using PadKernel.Decoding;

namespace PadKernel.Llama2c.Tests;

/// <summary>Every case of tests/fixtures/golden/pad-stories260K.json, reproduced token for token through the core PadDecoder.</summary>
public sealed class GoldenTests
{
    public static TheoryData<int> PlainCases => GoldenCase.Indices(withPreference: false);

    public static TheoryData<int> PadCases => GoldenCase.Indices(withPreference: true);

    [Theory]
    [MemberData(nameof(PlainCases))]
    public void PlainGreedyReproducesGolden(int index) => Reproduce(Case(index));

    [Theory]
    [MemberData(nameof(PadCases))]
    public void PadReproducesGolden(int index) => Reproduce(Case(index));

    [Theory]
    [MemberData(nameof(PadCases))]
    public void PadReproducesGoldenWithSerialBatches(int index)
    {
        using Llama2cModel model = Stories260K.Load(new Llama2cModelOptions { BatchThreading = Llama2cBatchThreading.Serial });
        Reproduce(Case(index), model);
    }

    [Theory]
    [MemberData(nameof(PadCases))]
    public void PadReproducesGoldenWithSplitBatches(int index)
    {
        using Llama2cModel model = Stories260K.Load(new Llama2cModelOptions { BatchThreading = Llama2cBatchThreading.Split });
        Reproduce(Case(index), model);
    }

    [Fact]
    public void GoldenFileHasBothKindsOfCases()
    {
        IReadOnlyList<GoldenCase> cases = GoldenCase.LoadAll();
        Assert.Contains(cases, c => c.Preference is null);
        Assert.Contains(cases, c => c.Preference is not null);
    }

    private static GoldenCase Case(int index)
    {
        IReadOnlyList<GoldenCase> cases = GoldenCase.LoadAll();
        Assert.True(index >= 0 && index < cases.Count, $"The golden file has no case of this kind (index {index}).");
        return cases[index];
    }

    private static void Reproduce(GoldenCase golden, Llama2cModel? model = null)
    {
        model ??= Stories260K.Model;
        Preference[] preferences = golden.Preference is null ? [] : [new Preference(golden.Preference, golden.Weight)];
        var options = new GenerationOptions { MaxTokens = golden.MaxTokens, Temperature = 0f, PadTopK = golden.TopK };
        DecodeRequest request = PadPrompts.CreateRawRequest(model, golden.Prompt, preferences, options);

        Assert.Equal(golden.BaseContextIds, request.Context);
        if (golden.RewardContextIds is not null)
        {
            Assert.Equal(golden.RewardContextIds, Assert.Single(request.Rewards).Context);
        }

        GenerationResult result = PadDecoder.Generate(request);
        Assert.Equal(golden.OutputIds, result.TokenIds);
        Assert.Equal(golden.OutputText, result.Text);
    }
}
