using System.Text.Json;
using Microsoft.Extensions.AI;
using PadKernel.Extensions.AI;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>PAD through <see cref="PadChatClient"/> (Microsoft.Extensions.AI) on ONNX models.</summary>
public sealed class ChatClientTests
{
    private const string Prompt = "Once upon a time";
    private const string Dog = "The story is about a dog named Max.";

    [Theory]
    [MemberData(nameof(GoldenTests.Cases), MemberType = typeof(GoldenTests))]
    public async Task ReproducesEveryGoldenCaseOnTheOnnxStoryModel(int index)
    {
        JsonElement golden = TestModels.GoldenCases()[index];
        var options = new ChatOptions { MaxOutputTokens = golden.GetProperty("max_tokens").GetInt32() };
        if (golden.TryGetProperty("preference", out JsonElement preference))
        {
            options.AdditionalProperties = new()
            {
                ["pad_preferences"] = preference.GetString(),
                ["pad_weight"] = golden.GetProperty("weight").GetDouble(),
                ["pad_top_k"] = golden.GetProperty("top_k").GetInt32(),
            };
        }

        using var client = new PadChatClient(TestModels.Get(TestModels.Stories));
        ChatResponse response = await client.GetResponseAsync(golden.GetProperty("prompt").GetString()!, options);

        Assert.Equal(golden.GetProperty("output_text").GetString(), response.Text);
        Assert.Equal(golden.GetProperty("output_ids").GetArrayLength(), response.Usage!.OutputTokenCount);
    }

    [Theory]
    [InlineData(TestModels.Stories)]
    [InlineData(TestModels.LlamaFp16)]
    public async Task ZeroWeightEqualsPlainGreedy(string name)
    {
        using var client = new PadChatClient(TestModels.Get(name));
        ChatResponse plain = await client.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 24 });
        ChatResponse zero = await client.GetResponseAsync(Prompt, new ChatOptions
        {
            MaxOutputTokens = 24,
            AdditionalProperties = new() { ["pad_preferences"] = Dog, ["pad_weight"] = 0.0 },
        });

        Assert.False(string.IsNullOrEmpty(plain.Text));
        Assert.Equal(plain.Text, zero.Text);
    }

    [Theory]
    [InlineData(TestModels.Stories)]
    [InlineData(TestModels.LlamaFp16)]
    public async Task PadRunsBaseAndRewardInOneRunPerStep(string name)
    {
        // A private model instance, so that tests running in parallel do not move its run counter.
        using OnnxModel model = OnnxModel.Load(TestModels.Path(name), TestModels.Options(name));
        using var client = new PadChatClient(model);
        var options = new ChatOptions { MaxOutputTokens = 20, AdditionalProperties = new() { ["pad_preferences"] = Dog, ["pad_weight"] = 2.0 } };

        long before = model.RunCount;
        ChatResponse response = await client.GetResponseAsync(Prompt, options);
        long runs = model.RunCount - before;

        // Two prefills (base and reward context), then at most one run per generated token; separate runs would need two.
        long generated = response.Usage!.OutputTokenCount!.Value;
        Assert.True(generated >= 5, $"only {generated} tokens generated");
        Assert.InRange(runs, generated, generated + 2);
    }
}
