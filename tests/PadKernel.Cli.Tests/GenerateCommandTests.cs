using System.Text.Json;

namespace PadKernel.Cli.Tests;

public sealed class GenerateCommandTests
{
    public static TheoryData<int> GoldenCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Golden().GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public async Task JsonOutputReproducesTheGoldenVector(int index)
    {
        JsonElement golden = Golden()[index];
        var args = new List<string> { "generate", "--model", TestData.StoriesFolder, "--prompt", golden.GetProperty("prompt").GetString()!, "--max-tokens", golden.GetProperty("max_tokens").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", "--trace" };
        if (golden.TryGetProperty("preference", out JsonElement preference))
        {
            args.AddRange(["--preference", preference.GetString()!, "--weight", golden.GetProperty("weight").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture), "--top-k", golden.GetProperty("top_k").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        (int code, string output, string error) = await CliRun.InvokeAsync([.. args]);

        Assert.True(code == 0, error);
        using JsonDocument result = JsonDocument.Parse(output);
        Assert.Equal(golden.GetProperty("base_context_ids").EnumerateArray().Select(e => e.GetInt32()), result.RootElement.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(golden.GetProperty("output_ids").EnumerateArray().Select(e => e.GetInt32()), result.RootElement.GetProperty("output_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(golden.GetProperty("output_text").GetString(), result.RootElement.GetProperty("text").GetString());
        JsonElement trace = result.RootElement.GetProperty("trace");
        Assert.Equal(golden.GetProperty("output_ids").GetArrayLength(), trace.GetArrayLength());
        foreach (JsonElement step in trace.EnumerateArray())
        {
            JsonElement chosen = step.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == step.GetProperty("chosen").GetInt32());
            float best = step.GetProperty("candidates").EnumerateArray().Max(c => c.GetProperty("score").GetSingle());
            Assert.Equal(best, chosen.GetProperty("score").GetSingle());
        }
    }

    [Fact]
    public async Task Trace_ShowsThePromptTheTextAndOnlyTheStepsTheRewardChanged()
    {
        string[] args = ["generate", "-m", TestData.StoriesFolder, "-p", "Once upon a time", "--preference", "The story is about a dog named Max.", "-w", "4", "-n", "60"];
        (int code, string output, string error) = await CliRun.InvokeAsync([.. args, "--trace"]);

        Assert.True(code == 0, error);
        Assert.StartsWith("Once upon a time, a little bird came by and said, \"Hi, Max!", output, StringComparison.Ordinal);
        Assert.Contains("[stopped at the 60-token limit; --max-tokens sets it]", output, StringComparison.Ordinal);
        Assert.Contains("' there'    ' a' *", output, StringComparison.Ordinal); // step 1: the reward overrode the base model's top token

        // Every step row shown is a changed one (its chosen token is starred), and the summary counts exactly those.
        string[] stepRows = StepRows(output);
        Assert.All(stepRows, row => Assert.Contains("' *", row, StringComparison.Ordinal));
        Assert.Contains($"{stepRows.Length} of 60 tokens changed by the reward", output, StringComparison.Ordinal);
        Assert.Contains("--trace all shows every step", output, StringComparison.Ordinal);

        // Signs: a reward that rounds to zero is +0.00, never -0.00 or -+0.00 (a table of 60 steps has many).
        (code, string all, error) = await CliRun.InvokeAsync([.. args, "--trace", "all"]);
        Assert.True(code == 0, error);
        Assert.Equal(60, StepRows(all).Length);
        Assert.Contains("+0.00", all, StringComparison.Ordinal);
        Assert.DoesNotContain("-+", all, StringComparison.Ordinal);
        Assert.DoesNotContain("-0.00", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.004f, "+0.00")]
    [InlineData(0.004f, "+0.00")]
    [InlineData(-0.006f, "-0.01")]
    [InlineData(1.234f, "+1.23")]
    [InlineData(-2.5f, "-2.50")]
    public void Signed_GivesRewardsOneSign(float value, string expected) => Assert.Equal(expected, Output.TraceTable.Signed(value));

    [Fact]
    public async Task Json_IsReadableUtf8()
    {
        (int code, string output, string error) = await CliRun.InvokeAsync("generate", "-m", TestData.StoriesFolder, "-p", "He said \"hi\" at the café", "--preference", "Éloïse's <dog>", "-n", "3", "--json");

        Assert.True(code == 0, error);
        Assert.Contains("\"prompt\": \"He said \\\"hi\\\" at the café\"", output, StringComparison.Ordinal);
        Assert.Contains("\"text\": \"Éloïse's <dog>\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", output, StringComparison.Ordinal);
        using JsonDocument parsed = JsonDocument.Parse(output);
        Assert.Equal("He said \"hi\" at the café", parsed.RootElement.GetProperty("prompt").GetString());
    }

    // The trace table's step rows: a row starts with the step number in the first column.
    private static string[] StepRows(string output) =>
        output.Split('\n').Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^  \d+ ")).ToArray();

    [Fact]
    public async Task RewardModelModeWithTheCommittedPersRMScoresEachPreferenceWithItsOwnWeight()
    {
        string persrm = Path.Combine(TestData.RepositoryRoot, "models", "stories260K-persrm");
        string[] common = ["generate", "-m", TestData.StoriesFolder, "-p", "Tom found a box under his bed.", "-n", "30", "--json", "--trace", "--reward-model", persrm];

        (int code, string output, string error) = await CliRun.InvokeAsync([.. common, "--preference", "The story is about a frog.", "--preference", "The story is about a lion.", "-w", "0.5", "-w", "0"]);
        Assert.True(code == 0, error);
        using JsonDocument two = JsonDocument.Parse(output);

        // A zero weight drops that preference's reward term but not its text from the base context.
        (code, output, error) = await CliRun.InvokeAsync([.. common, "--preference", "The story is about a frog. The story is about a lion.", "-w", "0"]);
        Assert.True(code == 0, error);
        using JsonDocument prompting = JsonDocument.Parse(output);
        Assert.Equal(Ids(prompting, "prompt_ids"), Ids(two, "prompt_ids"));
        Assert.NotEqual(Ids(prompting, "output_ids"), Ids(two, "output_ids"));
        Assert.All(two.RootElement.GetProperty("trace").EnumerateArray(), step =>
            Assert.All(step.GetProperty("candidates").EnumerateArray(), c => Assert.Equal(1, c.GetProperty("rewards").GetArrayLength())));

        static int[] Ids(JsonDocument doc, string name) => doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    [Fact]
    public async Task StopSequenceEndsTheTextBeforeIt()
    {
        (int code, string output, _) = await CliRun.InvokeAsync("generate", "-m", TestData.StoriesFolder, "-p", "Once upon a time", "-n", "60", "--stop", "Lily", "--json");

        Assert.Equal(0, code);
        using JsonDocument result = JsonDocument.Parse(output);
        Assert.Equal(", there was a little girl named ", result.RootElement.GetProperty("text").GetString());
        Assert.Equal("stop", result.RootElement.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task SampledGenerationIsReproducibleWithASeed()
    {
        static string[] Args(string seed) => ["generate", "-m", TestData.StoriesFolder, "-p", "The dog", "--preference", "They ate cake.", "-t", "0.9", "--top-p", "0.95", "-s", seed, "-n", "40", "--json"];
        (_, string first, _) = await CliRun.InvokeAsync(Args("123"));
        (_, string second, _) = await CliRun.InvokeAsync(Args("123"));
        (_, string other, _) = await CliRun.InvokeAsync(Args("777"));

        Assert.Equal(Ids(first), Ids(second));
        Assert.NotEqual(Ids(first), Ids(other));
    }

    private static int[] Ids(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("output_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    private static JsonElement Golden()
    {
        using var stream = File.OpenRead(TestData.GoldenFile);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    [Fact]
    public async Task PromptFileGivesTheSameStoryAsThePromptOption()
    {
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "Once upon a time");
            string onnx = TestData.Model("stories260K-onnx");
            (int code1, string fromOption, string error1) = await CliRun.InvokeAsync(["generate", "--model", onnx, "--prompt", "Once upon a time", "--max-tokens", "30"]);
            (int code2, string fromFile, string error2) = await CliRun.InvokeAsync(["generate", "--model", onnx, "--prompt-file", file, "--max-tokens", "30"]);

            Assert.True(code1 == 0, error1);
            Assert.True(code2 == 0, error2);
            Assert.Equal(fromOption, fromFile);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ALongPromptOnAnOnnxModelIsAClearErrorNotACrash()
    {
        // 30 KB through the command line (the old npm ONNX Runtime build aborted reading such a command line).
        string onnx = TestData.Model("stories260K-onnx");
        string prompt = string.Concat(Enumerable.Repeat("Once upon a time. ", 1700));
        (int code, _, string error) = await CliRun.InvokeAsync(["generate", "--model", onnx, "--prompt", prompt, "--max-tokens", "5"]);

        Assert.Equal(1, code);
        Assert.StartsWith("pad: The sequence needs", error, StringComparison.Ordinal);
        Assert.Contains("context length is 512", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptAndPromptFileTogetherAreAUsageError()
    {
        (int code, _, string error) = await CliRun.InvokeAsync(["generate", "--model", TestData.StoriesFolder, "--prompt", "a", "--prompt-file", "b"]);
        Assert.Equal(1, code);
        Assert.Contains("exactly one of --prompt", error, StringComparison.Ordinal);
    }
}
