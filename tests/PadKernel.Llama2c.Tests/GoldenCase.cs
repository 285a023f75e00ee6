using System.Text.Json;
using System.Text.Json.Serialization;

namespace PadKernel.Llama2c.Tests;

/// <summary>One case of tests/fixtures/golden/pad-stories260K.json.</summary>
public sealed class GoldenCase
{
    [JsonPropertyName("prompt")]
    public string Prompt { get; set; } = "";

    [JsonPropertyName("preference")]
    public string? Preference { get; set; }

    [JsonPropertyName("weight")]
    public float Weight { get; set; }

    [JsonPropertyName("top_k")]
    public int TopK { get; set; } = 10;

    [JsonPropertyName("max_tokens")]
    public int MaxTokens { get; set; }

    [JsonPropertyName("base_context_ids")]
    public int[] BaseContextIds { get; set; } = [];

    [JsonPropertyName("reward_context_ids")]
    public int[]? RewardContextIds { get; set; }

    [JsonPropertyName("output_ids")]
    public int[] OutputIds { get; set; } = [];

    [JsonPropertyName("output_text")]
    public string OutputText { get; set; } = "";

    public override string ToString() => Preference is null
        ? $"plain: {Prompt}"
        : $"pad: {Prompt} | {Preference} | w={Weight} k={TopK}";

    public static IReadOnlyList<GoldenCase> LoadAll() =>
        JsonSerializer.Deserialize<List<GoldenCase>>(File.ReadAllText(TestData.GoldenFile))
        ?? throw new InvalidOperationException("The golden file is empty.");

    /// <summary>Case indices for [MemberData]: the data is read inside the test, so a missing file fails the test rather than discovery.</summary>
    public static TheoryData<int> Indices(bool withPreference)
    {
        // Discovery cannot fail loudly, so when the file is missing expose one index that fails inside the test.
        var data = new TheoryData<int>();
        string? golden = TryGoldenFile();
        if (golden is null)
        {
            data.Add(0);
            return data;
        }

        List<GoldenCase> cases = JsonSerializer.Deserialize<List<GoldenCase>>(File.ReadAllText(golden)) ?? [];
        for (int i = 0; i < cases.Count; i++)
        {
            if ((cases[i].Preference is not null) == withPreference)
            {
                data.Add(i);
            }
        }

        if (data.Count == 0)
        {
            data.Add(-1);
        }

        return data;
    }

    private static string? TryGoldenFile()
    {
        try
        {
            string file = TestData.GoldenFile;
            return File.Exists(file) ? file : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Xunit.Sdk.XunitException)
        {
            return null;
        }
    }
}
