using System.Globalization;
using PadKernel.Evaluation.Reporting;
using PadKernel.Evaluation.Running;

namespace PadKernel.Cli.Tests;

public sealed class EvalCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "padkernel-cli-eval-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task EvalOnTheStoryModelWritesReportsWithTheRunsNumbers()
    {
        string[] args = ["eval", "--suite", Suite, "--model", TestData.StoriesFolder, "--prompts", "2", "--weights", "1,4", "--top-k", "10", "--max-tokens", "12", "--out", _out];
        (int code, string output, string error) = await CliRun.InvokeAsync(args);

        Assert.True(code == 0, error);
        Assert.Contains("pad-sc", output, StringComparison.Ordinal);
        IReadOnlyList<EvalRecord> records = EvalResultStore.ReadRecords(Path.Combine(_out, EvalResultStore.ResultsFileName));
        Assert.Equal(5 * 2 * 7, records.Count); // 5 methods (base, prompting, prompting k=10, PAD w=1, 4) × 2 prompts × 7 preferences
        foreach (string file in new[] { EvalReport.MarkdownFileName, EvalReport.CsvFileName, EvalReport.PlotFileName, EvalReport.HtmlFileName })
        {
            Assert.True(File.Exists(Path.Combine(_out, file)), file);
        }

        string[][] csv = File.ReadAllLines(Path.Combine(_out, EvalReport.CsvFileName)).Select(l => l.Split(',')).ToArray();
        int adherence = Array.IndexOf(csv[0], "adherence");
        foreach (IGrouping<string, EvalRecord> method in records.GroupBy(r => r.Method))
        {
            Assert.Equal(method.Average(r => r.Adherence), double.Parse(csv.Single(l => l[0] == method.Key)[adherence], CultureInfo.InvariantCulture), 12);
        }

        Assert.Contains("pad eval --suite", File.ReadAllText(Path.Combine(_out, EvalReport.HtmlFileName)), StringComparison.Ordinal);

        // The same command again resumes: nothing is generated twice.
        (code, output, error) = await CliRun.InvokeAsync(args);
        Assert.True(code == 0, error);
        Assert.Contains("70 resumed", output, StringComparison.Ordinal);
        Assert.Equal(records.Count, EvalResultStore.ReadRecords(Path.Combine(_out, EvalResultStore.ResultsFileName)).Count);
    }

    [Fact]
    public async Task EvalRefusesAFolderOfOtherSettingsAndBadLists()
    {
        string[] first = ["eval", "--suite", Suite, "--model", TestData.StoriesFolder, "--prompts", "1", "--weights", "2", "--top-k", "10", "--max-tokens", "4", "--out", _out];
        Assert.Equal(0, (await CliRun.InvokeAsync(first)).ExitCode);

        (int code, _, string error) = await CliRun.InvokeAsync([.. first[..^3], "8", "--out", _out]);
        Assert.Equal(1, code);
        Assert.Contains("other settings", error, StringComparison.Ordinal);

        (code, _, error) = await CliRun.InvokeAsync(["eval", "--suite", Suite, "--model", TestData.StoriesFolder, "--weights", "1,x", "--out", _out]);
        Assert.Equal(1, code);
        Assert.Contains("--weights", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOpenAICompatibleJudgeEndpointGradesEveryCellAndTheComparisonIsWritten()
    {
        using var judge = new PadKernel.Testing.FakeOpenAIServer("7");
        string[] args =
        [
            "eval", "--suite", Suite, "--model", TestData.StoriesFolder, "--prompts", "3", "--dev-prompts", "2", "--weights", "2", "--top-k", "10",
            "--max-tokens", "6", "--judge-endpoint", judge.Endpoint.ToString(), "--judge-model", "grader", "--out", _out,
        ];

        (int code, string output, string error) = await CliRun.InvokeAsync(args);

        Assert.True(code == 0, error);
        IReadOnlyList<EvalRecord> records = EvalResultStore.ReadRecords(Path.Combine(_out, EvalResultStore.ResultsFileName));
        Assert.Equal(4 * 3 * 7, records.Count);
        Assert.Equal(records.Count, judge.Requests.Count);
        Assert.All(records, r => Assert.Equal(6.0 / 9, r.Judges.Single(j => j.Key.StartsWith("llm(", StringComparison.Ordinal)).Value, 12));
        Assert.All(judge.Requests, body => Assert.Contains("\"model\":\"grader\"", body, StringComparison.Ordinal));
        string comparison = File.ReadAllText(Path.Combine(_out, EvalReport.ComparisonFileName));
        Assert.Contains("reported on test prompts 3–3", comparison, StringComparison.Ordinal);
        Assert.Contains("| pad-sc w=2 k=10 |", comparison, StringComparison.Ordinal);
        Assert.Contains("Held-out comparison", output, StringComparison.Ordinal);

        (code, _, error) = await CliRun.InvokeAsync(["eval", "--suite", Suite, "--model", TestData.StoriesFolder, "--judge-endpoint", "ftp://x", "--judge-model", "m", "--out", _out + "-bad"]);
        Assert.Equal(1, code);
        Assert.Contains("--judge-endpoint", error, StringComparison.Ordinal);
    }

    private static string Suite => Path.Combine(TestData.RepositoryRoot, "samples", "suites", "stories.json");
}
