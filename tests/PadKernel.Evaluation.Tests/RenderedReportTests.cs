using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PadKernel.Evaluation.Reporting;
using PadKernel.Evaluation.Running;
using PadKernel.Evaluation.Suites;

namespace PadKernel.Evaluation.Tests;

/// <summary>
/// The HTML report and its SVG plot as a browser lays them out (headless Chromium): the legend fits beside the plot
/// with one entry per series, the w labels overlap nothing, and the report shows the comparison and example texts.
/// </summary>
public sealed class RenderedReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pad-report-").FullName;

    [Fact]
    public async Task Report_InChromium_LegendFitsWithoutRepeats_WLabelsDoNotOverlap_AndExamplesAreShown()
    {
        // The grid `pad eval --reward-model … --weights 0.5,1,2,4,8 --top-k 10,20` runs, with points crowded together as on the story model.
        IReadOnlyList<EvalRecord> records = FullGrid();
        EvalSummary summary = EvalSummary.Create(records, "stories-heldout", "stories260K", ["frog", "monkey"], "4 prompts × 2 preferences, max 48 tokens, greedy");
        var suite = new EvalSuite
        {
            Name = "stories-heldout",
            Prompts = ["Tom found a box under his bed.", "There was once a big red ball in the park.", "Anna went to visit her grandma.", "A little bear lived in a cave."],
            Preferences = [new SuitePreference { Id = "frog", Text = "The story is about a frog.", Judges = [] }, new SuitePreference { Id = "monkey", Text = "The story is about a monkey.", Judges = [] }],
        };
        string comparison = HeldOutComparison.Create(records, promptCount: 4, devPrompts: 2).ToMarkdown();
        string page = Path.Combine(_folder, "report.html");
        HtmlReportWriter.Write(summary, page, "pad eval --suite stories-heldout.json", comparison, EvalExample.Pick(records, suite, firstPrompt: 2, count: 2));

        // A script measures what the browser laid out and leaves it in the page; --dump-dom prints the page after it ran.
        await File.AppendAllTextAsync(page, Measure);
        string dom = await ChromiumAsync("--dump-dom", new Uri(page).AbsoluteUri);
        using JsonDocument layout = JsonDocument.Parse(WebUtility.HtmlDecode(Regex.Match(dom, "<pre id=\"layout\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value));
        JsonElement root = layout.RootElement;
        Box svg = Box.From(root.GetProperty("svg")), plot = Box.From(root.GetProperty("plot"));

        string[] legend = [.. root.GetProperty("legend").EnumerateArray().Select(l => l.GetProperty("text").GetString()!)];
        Assert.Equal(legend.Distinct().Count(), legend.Length);
        Assert.Contains("preference prompting (w = 0)", legend);
        Assert.Contains(legend, l => l.StartsWith("matched prompting, k = 10", StringComparison.Ordinal));
        Assert.Contains(legend, l => l.StartsWith("matched prompting, k = 20", StringComparison.Ordinal));
        Assert.All(root.GetProperty("legend").EnumerateArray().Select(l => Box.From(l)), b =>
        {
            Assert.True(b.Right <= svg.Right, $"a legend label ends at {b.Right}, past the image's right edge {svg.Right}");
            Assert.True(b.Left >= plot.Right, $"a legend label starts at {b.Left}, inside the plot (right edge {plot.Right})");
        });

        Box[] labels = [.. root.GetProperty("wlabels").EnumerateArray().Select(Box.From)];
        int padPoints = summary.Rows.Count(r => r.Method.IsPad);
        Assert.True(labels.Length >= padPoints / 2, $"only {labels.Length} of {padPoints} PAD points have their w label");
        for (int i = 0; i < labels.Length; i++)
        {
            Assert.True(labels[i].Left >= plot.Left && labels[i].Right <= plot.Right, $"w label {i} leaves the plot");
            for (int j = i + 1; j < labels.Length; j++)
            {
                Assert.False(labels[i].Overlaps(labels[j]), $"w labels {i} and {j} overlap: {labels[i]} / {labels[j]}");
            }
        }

        // The text a reader sees: method names with their k, the held-out comparison, and what the methods wrote.
        string text = root.GetProperty("text").GetString()!;
        Assert.Contains("matched prompting\t–\t10", text, StringComparison.Ordinal);
        Assert.Contains("Held-out comparison", text, StringComparison.Ordinal);
        Assert.Contains("Preference: The story is about a frog.", text, StringComparison.Ordinal);
        Assert.Contains("Anna went to visit her grandma.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("prompting-k", text, StringComparison.Ordinal);

        // And a picture of it, for a person to look at (docs/evaluation.md says how to make one).
        await ChromiumAsync($"--screenshot={Path.Combine(_folder, "report.png")}", "--window-size=1200,2400", new Uri(page).AbsoluteUri);
        Assert.True(new FileInfo(Path.Combine(_folder, "report.png")).Length > 10_000);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Measure = """
        <script>
        const box = e => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
        const svg = document.querySelector('svg');
        const rows = [...document.querySelectorAll('tr')].map(tr => [...tr.children].map(c => c.textContent).join('\t'));
        const layout = {
          svg: box(svg), plot: box(svg.querySelector('.plot-area')),
          legend: [...svg.querySelectorAll('.legend-label')].map(t => ({ text: t.textContent, ...box(t) })),
          wlabels: [...svg.querySelectorAll('.wlabel')].map(box),
          text: document.body.innerText + '\n' + rows.join('\n'),
        };
        const pre = document.createElement('pre');
        pre.id = 'layout';
        pre.textContent = JSON.stringify(layout);
        document.body.appendChild(pre);
        </script>
        """;

    private static async Task<string> ChromiumAsync(params string[] args)
    {
        string chromium = new[] { "chromium", "chromium-browser", "google-chrome" }
            .FirstOrDefault(c => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => File.Exists(Path.Combine(p, c))))
            ?? throw new InvalidOperationException("Chromium is not installed; scripts/setup.sh installs it (apt-get install chromium).");
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=5000" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }

    private static IReadOnlyList<EvalRecord> FullGrid()
    {
        var methods = new List<EvalMethod> { new(EvalMethodKind.Base), new(EvalMethodKind.Prompting), new(EvalMethodKind.PromptingTopK, 0, 10), new(EvalMethodKind.PromptingTopK, 0, 20) };
        foreach (EvalMethodKind kind in new[] { EvalMethodKind.PadSelfContrast, EvalMethodKind.PadRewardModel })
        {
            foreach (int k in new[] { 10, 20 })
            {
                methods.AddRange(new[] { 0.5f, 1f, 2f, 4f, 8f }.Select(w => new EvalMethod(kind, w, k)));
            }
        }

        var records = new List<EvalRecord>();
        foreach (EvalMethod m in methods)
        {
            for (int p = 0; p < 4; p++)
            {
                foreach (string preference in new[] { "frog", "monkey" })
                {
                    // Low weights crowd around prompting; the two k and the two families nearly coincide.
                    double w = m.Kind == EvalMethodKind.Prompting ? 0.4 : m.Weight;
                    double adherence = Math.Min(1, 0.05 + 0.04 * w + (m.Kind == EvalMethodKind.PadRewardModel ? 0.02 : 0) + 0.001 * m.TopK + 0.01 * p);
                    double nll = 48 * Math.Log(2.2 + 0.05 * w * w + 0.002 * m.TopK);
                    records.Add(SyntheticResults.Record(m, p, preference, adherence, nll, 48, text: $"{m.Key} wrote this continuation of prompt {p}."));
                }
            }
        }

        return records;
    }

    private readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public static Box From(JsonElement e) => new(e.GetProperty("left").GetDouble(), e.GetProperty("top").GetDouble(), e.GetProperty("right").GetDouble(), e.GetProperty("bottom").GetDouble());

        public bool Overlaps(Box other) => Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;
    }
}
