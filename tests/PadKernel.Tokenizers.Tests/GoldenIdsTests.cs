using System.Text.Json.Nodes;

namespace PadKernel.Tokenizers.Tests;

/// <summary>The stories260K tokenizer.json gives exactly llama2.c's ids for the golden prompts.</summary>
public sealed class GoldenIdsTests
{
    [Fact]
    public void Stories260K_EncodesGoldenPromptsToLlama2cIds()
    {
        string goldenPath = TestData.GoldenFile;
        Assert.True(File.Exists(goldenPath), $"Golden file missing: {goldenPath} (set PADKERNEL_GOLDEN).");
        var tokenizer = TestPaths.Tokenizer("stories260K-onnx");
        Assert.Equal(1, tokenizer.BosTokenId);

        var cases = JsonNode.Parse(File.ReadAllText(goldenPath))!.AsArray();
        Assert.NotEmpty(cases);
        int rewardCases = 0;
        foreach (JsonNode? c in cases)
        {
            string prompt = c!["prompt"]!.GetValue<string>();
            int[] baseIds = c["base_context_ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
            Assert.Equal(tokenizer.BosTokenId, baseIds[0]);
            Assert.Equal(baseIds[1..], tokenizer.Encode(prompt));

            if (c["reward_context_ids"] is JsonArray reward)
            {
                string text = c["preference"]!.GetValue<string>() + "\n\n" + prompt;
                Assert.Equal(reward.Select(i => i!.GetValue<int>()).Skip(1), tokenizer.Encode(text));
                rewardCases++;
            }
        }

        Assert.True(rewardCases > 0);
    }

    [Fact]
    public void Stories260K_DecodesGoldenOutputText()
    {
        string goldenPath = TestData.GoldenFile;
        Assert.True(File.Exists(goldenPath), $"Golden file missing: {goldenPath} (set PADKERNEL_GOLDEN).");
        var tokenizer = TestPaths.Tokenizer("stories260K-onnx");
        foreach (JsonNode? c in JsonNode.Parse(File.ReadAllText(goldenPath))!.AsArray())
        {
            int[] baseIds = c!["base_context_ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
            int[] output = c["output_ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();

            // Generated text follows the prompt's last token, so its first piece keeps its space.
            Assert.Equal(c["output_text"]!.GetValue<string>(), tokenizer.Decode(output, baseIds[^1]));
        }
    }
}
