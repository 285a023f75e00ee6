using System.Globalization;
using PadKernel.Evaluation.Judges;
using PadKernel.Evaluation.Reporting;
using PadKernel.Evaluation.Running;
using PadKernel.Evaluation.Suites;

namespace PadKernel.Evaluation.Tests;

/// <summary>A short real evaluation on the story model: two prompts, two preferences, two weights.</summary>
public sealed class StoryEvalRunTests(StoryModel story) : IClassFixture<StoryModel>, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "padkernel-eval-run-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task ShortRunWritesFilesHoldingTheNumbersItComputed()
    {
        EvalRunner runner = Runner();
        Assert.Equal(5, runner.Methods.Count); // base, prompting, prompting k=10, PAD w=1 and w=4 at k=10
        Assert.Equal(20, runner.TotalCells);

        IReadOnlyList<EvalRecord> records;
        var reports = new List<EvalProgress>();
        using (EvalResultStore store = EvalResultStore.Open(_dir, runner.Fingerprint))
        {
            records = await runner.RunAsync(store, new SyncProgress(reports.Add));
        }

        Assert.Equal(20, records.Count);
        Assert.Equal(20, reports[^1].Completed);
        Assert.All(records, r => Assert.InRange(r.Tokens, 1, 16));
        Assert.All(records, r => Assert.True(r.NllTokens == r.Tokens && r.Nll > 0));

        // The base continuation ignores the preference; PAD at w=4 changes at least one text.
        Assert.Single(records.Where(r => r.Method == "base" && r.Prompt == 0).Select(r => r.Text).Distinct());
        Assert.Contains(records.Where(r => r.Method == "pad-sc w=4 k=10"), pad =>
            pad.Text != records.Single(b => b.Method == "base" && b.Prompt == pad.Prompt && b.Preference == pad.Preference).Text);

        // Adherence is what the judges say about the stored text, and 0 for text that copies the preference.
        var dogJudge = new LexiconJudge(["dog", "dogs", "puppy", "puppies", "bark*", "woof"]);
        Assert.All(records.Where(r => r.Preference == "dog"), r => Assert.Equal(
            dogJudge.CountHits(r.Text) > 0 && CopyDetector.Count(r.Text, "The story is about a dog.") == 0 ? 1 : 0, r.Adherence));
        Assert.All(records, r => Assert.Equal(CopyDetector.Count(r.Text, runner.Suite.Preferences.Single(p => p.Id == r.Preference).Text), r.Copies));

        // Greedy: sampling from the top k changes nothing, so the matched control writes what prompting writes.
        Assert.Equal(
            records.Where(r => r.Method == "prompting").Select(r => r.Text),
            records.Where(r => r.Method == "prompting k=10").Select(r => r.Text));

        // Each generation is timed and counted: one forward call per token plus one per extra prefilled context.
        Assert.All(records.Where(r => r.Kind == EvalMethodKind.Base), r => Assert.Equal(r.Tokens, r.ForwardCalls));
        Assert.All(records.Where(r => r.Kind == EvalMethodKind.PadSelfContrast), r => Assert.Equal(r.Tokens + 1, r.ForwardCalls));

        EvalSummary summary = EvalSummary.Create(records, runner.Suite.Name, story.Model.Info.ModelId, runner.Suite.Preferences.Select(p => p.Id).ToArray());
        IReadOnlyList<string> files = EvalReport.WriteAll(summary, _dir);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0, f));

        // The files hold the run's numbers: the JSONL has every record, the CSV every row's aggregate.
        IReadOnlyList<EvalRecord> stored = EvalResultStore.ReadRecords(Path.Combine(_dir, EvalResultStore.ResultsFileName));
        Assert.Equal(records.Select(r => (r.CellKey, r.Text, r.Nll, r.Adherence)), stored.Select(r => (r.CellKey, r.Text, r.Nll, r.Adherence)));
        string[][] csv = File.ReadAllLines(Path.Combine(_dir, EvalReport.CsvFileName)).Select(l => l.Split(',')).ToArray();
        int adherence = Array.IndexOf(csv[0], "adherence"), perplexity = Array.IndexOf(csv[0], "perplexity");
        foreach (EvalSummaryRow row in summary.Rows)
        {
            string[] line = csv.Single(l => l[0] == row.Method.Key);
            EvalRecord[] mine = records.Where(r => r.Method == row.Method.Key).ToArray();
            Assert.Equal(mine.Average(r => r.Adherence), double.Parse(line[adherence], CultureInfo.InvariantCulture), 12);
            Assert.Equal(Math.Exp(mine.Sum(r => r.Nll) / mine.Sum(r => r.NllTokens)), double.Parse(line[perplexity], CultureInfo.InvariantCulture), 9);
        }

        string markdown = File.ReadAllText(Path.Combine(_dir, EvalReport.MarkdownFileName));
        Assert.Contains(ReportColumns.Number(summary.Rows.Single(r => r.Method.Key == "pad-sc w=4 k=10").Perplexity.Mean, "0.00"), markdown, StringComparison.Ordinal);
        Assert.Contains("<circle class=\"point\" data-method=\"pad-sc w=4 k=10\"", File.ReadAllText(Path.Combine(_dir, EvalReport.PlotFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InterruptedRunKeepsItsCellsAndResumesWithoutRedoingThem()
    {
        EvalRunner runner = Runner();
        using var cts = new CancellationTokenSource();
        using (EvalResultStore store = EvalResultStore.Open(_dir, runner.Fingerprint))
        {
            var progress = new SyncProgress(p =>
            {
                if (p.Completed == 5)
                {
                    cts.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(store, progress, cts.Token));
            Assert.Equal(5, store.Records.Count);
        }

        string results = Path.Combine(_dir, EvalResultStore.ResultsFileName);
        EvalRecord[] kept = [.. EvalResultStore.ReadRecords(results)];
        Assert.Equal(5, kept.Length);

        using (EvalResultStore store = EvalResultStore.Open(_dir, runner.Fingerprint))
        {
            IReadOnlyList<EvalRecord> all = await runner.RunAsync(store);
            Assert.Equal(runner.TotalCells, all.Count);
            Assert.Equal(kept.Select(r => r.CellKey), all.Take(5).Select(r => r.CellKey));
        }

        IReadOnlyList<EvalRecord> stored = EvalResultStore.ReadRecords(results);
        Assert.Equal(runner.TotalCells, stored.Count);
        Assert.Equal(runner.TotalCells, stored.Select(r => r.CellKey).Distinct().Count());
    }

    [Fact]
    public async Task SeparateRewardModelAddsItsMethodsAndItsForwardCalls()
    {
        // A second instance of the same checkpoint stands in for a personalized reward model with the same vocabulary.
        using Models.ILanguageModel rewardModel = new Llama2c.Llama2cModelLoader().Load(story.Path);
        EvalSuite shipped = EvalSuiteLoader.Load(Path.Combine(AppContext.BaseDirectory, "suites", "stories.json"));
        var suite = new EvalSuite { Name = "rm", Prompts = shipped.Prompts, Preferences = [shipped.Preferences[0]] };
        var runner = new EvalRunner(story.Model, suite, new EvalOptions { Weights = [2f], TopKs = [10], MaxTokens = 8, MaxPrompts = 1, MatchedPrompting = false }, rewardModel: rewardModel, fluencyModel: rewardModel);

        IReadOnlyList<EvalRecord> records = await runner.RunAsync();

        Assert.Equal(["base", "prompting", "pad-sc w=2 k=10", "pad-rm w=2 k=10"], runner.Methods.Select(m => m.Key));
        EvalRecord rm = records.Single(r => r.Kind == EvalMethodKind.PadRewardModel);

        // Two models cannot share a batch: every step is one call on each, after one prefill on each.
        Assert.Equal(8, rm.Tokens);
        Assert.Equal(2 * rm.Tokens, rm.ForwardCalls);
        Assert.NotEqual(runner.Fingerprint, new EvalRunner(story.Model, suite, runner.Options).Fingerprint);

        // The fluency model is the same checkpoint here, so it scores every continuation exactly as the base model does.
        Assert.All(records, r => Assert.Equal(r.Nll, r.FluencyNll!.Value, 9));
        Assert.All(records, r => Assert.Equal(r.NllTokens, r.FluencyTokens));
    }

    private EvalRunner Runner()
    {
        EvalSuite shipped = EvalSuiteLoader.Load(Path.Combine(AppContext.BaseDirectory, "suites", "stories.json"));
        var suite = new EvalSuite
        {
            Name = "stories-mini",
            Prompts = shipped.Prompts,
            Preferences = shipped.Preferences.Where(p => p.Id is "dog" or "short-sentences").ToArray(),
        };
        return new EvalRunner(story.Model, suite, new EvalOptions { Weights = [1f, 4f], TopKs = [10], MaxTokens = 16, MaxPrompts = 2 });
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }
}
