using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>The story model converted to ONNX reproduces every golden vector (computed from the llama2.c checkpoint).</summary>
public sealed class GoldenTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < TestModels.GoldenCases().Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReproducesGoldenVector(int index)
    {
        JsonElement golden = TestModels.GoldenCases()[index];
        OnnxModel model = TestModels.Get(TestModels.Stories);
        DecodeRequest request = GoldenRequest(model, golden);

        Assert.Equal(Ids(golden, "base_context_ids"), request.Context);
        if (golden.GetProperty("reward_context_ids").ValueKind == JsonValueKind.Array)
        {
            Assert.Equal(Ids(golden, "reward_context_ids"), Assert.Single(request.Rewards).Context);
        }

        GenerationResult result = PadDecoder.Generate(request);

        Assert.Equal(Ids(golden, "output_ids"), result.TokenIds);
        Assert.Equal(golden.GetProperty("output_text").GetString(), result.Text);
    }

    internal static DecodeRequest GoldenRequest(PadKernel.Models.ILanguageModel model, JsonElement golden)
    {
        var preferences = new List<Preference>();
        if (golden.TryGetProperty("preference", out JsonElement preference))
        {
            preferences.Add(new Preference(preference.GetString()!, golden.GetProperty("weight").GetSingle()));
        }

        var options = new GenerationOptions
        {
            MaxTokens = golden.GetProperty("max_tokens").GetInt32(),
            Temperature = 0,
            PadTopK = golden.TryGetProperty("top_k", out JsonElement k) ? k.GetInt32() : 10,
        };
        return PadPrompts.CreateRawRequest(model, golden.GetProperty("prompt").GetString()!, preferences, options);
    }

    internal static int[] Ids(JsonElement golden, string name) => golden.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
