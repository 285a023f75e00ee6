using System.Globalization;
using System.Xml.Linq;
using PadKernel.Evaluation.Reporting;
using PadKernel.Evaluation.Running;
using Spectre.Console;

namespace PadKernel.Evaluation.Tests;

public sealed class ReportWriterTests
{
    [Fact]
    public void SummaryAggregatesPerMethodWithCorpusPerplexity()
    {
        EvalSummary summary = SyntheticResults.Summary();
        Assert.Equal(8, summary.Rows.Count);
        Assert.Equal("base", summary.Rows[0].Method.Key);
        Assert.Equal("prompting", summary.Rows[1].Method.Key);
        EvalSummaryRow pad = summary.Rows.Single(r => r.Method.Key == "pad-sc w=2 k=10");
        IReadOnlyList<EvalRecord> records = SyntheticResults.Records().Where(r => r.Method == "pad-sc w=2 k=10").ToArray();
        Assert.Equal(records.Average(r => r.Adherence), pad.Adherence.Mean, 12);
        Assert.Equal(Math.Exp(records.Sum(r => r.Nll) / records.Sum(r => r.NllTokens)), pad.Perplexity.Mean, 9);
        Assert.Equal(0, pad.Adherence.StdDev);
        Assert.Equal(4, pad.Cells);
        Assert.Equal(records.Where(r => r.Preference == "dog").Average(r => r.Adherence), pad.AdherenceByPreference["dog"], 12);
    }

    [Fact]
    public void SamplingSpreadIsTheDeviationAcrossSeeds()
    {
        EvalSummaryRow row = SyntheticResults.Summary(samples: 3).Rows.Single(r => r.Method.Key == "base");
        Assert.Equal(3, row.Samples);
        Assert.Equal(0.01, row.Adherence.StdDev, 9); // per-seed means 0.125, 0.135, 0.145
        Assert.Contains("±", ReportColumns.Cells(row)[4], StringComparison.Ordinal);
    }

    [Fact]
    public void CsvHoldsEveryRowWithTheComputedNumbers()
    {
        EvalSummary summary = SyntheticResults.Summary();
        string[] lines = CsvReportWriter.Render(summary).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(summary.Rows.Count + 1, lines.Length);
        string[] header = lines[0].Split(',');
        Assert.Equal([.. CsvReportWriter.Headers, "adherence:dog", "adherence:sea"], header);
        for (int i = 0; i < summary.Rows.Count; i++)
        {
            string[] cells = lines[i + 1].Split(',');
            EvalSummaryRow row = summary.Rows[i];
            Assert.Equal(row.Method.Key, cells[0]);
            Assert.Equal(row.Adherence.Mean, double.Parse(cells[Array.IndexOf(header, "adherence")], CultureInfo.InvariantCulture));
            Assert.Equal(row.Perplexity.Mean, double.Parse(cells[Array.IndexOf(header, "perplexity")], CultureInfo.InvariantCulture));
            Assert.Equal(row.AdherenceByPreference["sea"], double.Parse(cells[^1], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void MarkdownHasTheMethodTableAndThePreferenceTable()
    {
        EvalSummary summary = SyntheticResults.Summary();
        string md = MarkdownReportWriter.Render(summary);
        string[] tableRows = md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2 * (summary.Rows.Count + 1), tableRows.Length);
        EvalSummaryRow pad = summary.Rows.Single(r => r.Method.Key == "pad-sc w=8 k=20");
        Assert.Contains($"| PAD self-contrast | 8 | 20 | 4 | {pad.Adherence.Mean.ToString("0.000", CultureInfo.InvariantCulture)} | {pad.Perplexity.Mean.ToString("0.00", CultureInfo.InvariantCulture)} |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRow_HasItsMethodsNameAndK_InTheConsoleMarkdownAndHtml()
    {
        // Matched prompting at two k: each row says which k it is (it was "prompting-k" with k "–", twice).
        IReadOnlyList<EvalRecord> records = [.. SyntheticResults.Records(), .. new[] { 10, 20 }.SelectMany(k => new[] { "dog", "sea" }.Select(p =>
            SyntheticResults.Record(new EvalMethod(EvalMethodKind.PromptingTopK, 0, k), 0, p, 0.2, 30, 20)))];
        EvalSummary summary = EvalSummary.Create(records, "synthetic", "test-model", ["dog", "sea"], "");
        using var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        console.Write(ConsoleReport.CreateTable(summary));
        string md = MarkdownReportWriter.Render(summary), html = HtmlReportWriter.Render(summary);

        foreach (int k in new[] { 10, 20 })
        {
            Assert.Contains($"| matched prompting | – | {k} |", md, StringComparison.Ordinal);
            Assert.Contains($"<td>matched prompting</td><td>–</td><td>{k}</td>", html, StringComparison.Ordinal);
            Assert.Matches($@"│ matched prompting\s+│ –\s+│ {k}\s+│", writer.ToString());
        }

        Assert.Contains("| base (no preference) | – | – |", md, StringComparison.Ordinal);
        Assert.Contains("| preference prompting | – | – |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("prompting-k", md + html + writer, StringComparison.Ordinal);
    }

    [Fact]
    public void SvgIsValidXmlWithEveryPointInsideTheAxes()
    {
        EvalSummary summary = SyntheticResults.Summary(samples: 2);
        XDocument svg = XDocument.Parse(SvgPlotWriter.Render(summary));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);

        XElement[] points = svg.Descendants().Where(e => (string?)e.Attribute("class") == "point").ToArray();
        Assert.Equal(summary.Rows.Count, points.Length);
        foreach (XElement point in points)
        {
            (double x, double y) = Centre(point);
            Assert.InRange(x, SvgPlotWriter.Left, SvgPlotWriter.Right);
            Assert.InRange(y, SvgPlotWriter.Top, SvgPlotWriter.Bottom);
        }

        // One curve per PAD family and k, each through its three weights; baselines are markers, not curves.
        XElement[] curves = svg.Descendants(ns + "polyline").Where(e => (string?)e.Attribute("class") == "curve").ToArray();
        Assert.Equal(2, curves.Length);
        Assert.All(curves, c => Assert.Equal(3, ((string)c.Attribute("points")!).Split(' ').Length));
        Assert.Contains(points, p => p.Name == ns + "rect" && (string?)p.Attribute("data-method") == "base");
        Assert.Contains(points, p => p.Name == ns + "polygon" && (string?)p.Attribute("data-method") == "prompting");

        // Higher adherence is drawn higher: the w=8 point lies above the w=1 point of the same curve.
        Assert.True(Centre(points.Single(p => (string?)p.Attribute("data-method") == "pad-sc w=8 k=10")).Y
                    < Centre(points.Single(p => (string?)p.Attribute("data-method") == "pad-sc w=1 k=10")).Y);
        Assert.Contains(svg.Descendants(ns + "text"), t => (string?)t.Attribute("class") == "xtick");
        Assert.Contains(svg.Descendants(ns + "text"), t => (string?)t.Attribute("class") == "ytick");
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value.StartsWith("perplexity", StringComparison.Ordinal));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value.StartsWith("adherence", StringComparison.Ordinal));
        Assert.Contains(svg.Descendants(ns + "line"), l => (string?)l.Attribute("class") == "errorbar");
    }

    [Fact]
    public void HtmlEmbedsThePlotAndTheTable()
    {
        EvalSummary summary = SyntheticResults.Summary();
        string html = HtmlReportWriter.Render(summary, "pad eval --suite s.json");
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("pad eval --suite s.json", html, StringComparison.Ordinal);
        Assert.Equal(2 * (summary.Rows.Count + 1), html.Split("<tr").Length - 1);
    }

    [Fact]
    public void ConsoleTableShowsEveryMethod()
    {
        using var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        EvalSummary summary = SyntheticResults.Summary();
        console.Write(ConsoleReport.CreateTable(summary));
        string text = writer.ToString();
        Assert.Contains("prompting", text, StringComparison.Ordinal);
        Assert.Equal(6, text.Split('\n').Count(l => l.Contains("PAD self-contrast", StringComparison.Ordinal)));
    }

    private static (double X, double Y) Centre(XElement point)
    {
        double A(string name) => double.Parse((string)point.Attribute(name)!, CultureInfo.InvariantCulture);
        return point.Name.LocalName switch
        {
            "circle" => (A("cx"), A("cy")),
            "rect" => (A("x") + 5, A("y") + 5),
            _ => Average(((string)point.Attribute("points")!).Split(' ').Select(p => p.Split(','))),
        };

        static (double, double) Average(IEnumerable<string[]> xy)
        {
            double[][] v = xy.Select(a => a.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray()).ToArray();
            return (v.Average(a => a[0]), v.Average(a => a[1]));
        }
    }
}
