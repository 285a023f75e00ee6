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
        string[] args = ["eval", "--suite", Suite, "--model", TestPaths.Stories, "--prompts", "2", "--weights", "1,4", "--top-k", "10", "--max-tokens", "12", "--out", _out];
        (int code, string output, string error) = await CliRun.InvokeAsync(args);

        Assert.True(code == 0, error);
        Assert.Contains("pad-sc", output, StringComparison.Ordinal);
        IReadOnlyList<EvalRecord> records = EvalResultStore.ReadRecords(Path.Combine(_out, EvalResultStore.ResultsFileName));
        Assert.Equal(4 * 2 * 7, records.Count); // 4 methods × 2 prompts × 7 preferences
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
        Assert.Contains("56 resumed", output, StringComparison.Ordinal);
        Assert.Equal(records.Count, EvalResultStore.ReadRecords(Path.Combine(_out, EvalResultStore.ResultsFileName)).Count);
    }

    [Fact]
    public async Task EvalRefusesAFolderOfOtherSettingsAndBadLists()
    {
        string[] first = ["eval", "--suite", Suite, "--model", TestPaths.Stories, "--prompts", "1", "--weights", "2", "--top-k", "10", "--max-tokens", "4", "--out", _out];
        Assert.Equal(0, (await CliRun.InvokeAsync(first)).ExitCode);

        (int code, _, string error) = await CliRun.InvokeAsync([.. first[..^3], "8", "--out", _out]);
        Assert.Equal(1, code);
        Assert.Contains("other settings", error, StringComparison.Ordinal);

        (code, _, error) = await CliRun.InvokeAsync(["eval", "--suite", Suite, "--model", TestPaths.Stories, "--weights", "1,x", "--out", _out]);
        Assert.Equal(1, code);
        Assert.Contains("--weights", error, StringComparison.Ordinal);
    }

    private static string Suite => Path.Combine(PadKernel.Testing.TestData.RepositoryRoot, "samples", "suites", "stories.json");
}
