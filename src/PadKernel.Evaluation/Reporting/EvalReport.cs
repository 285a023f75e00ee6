using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>Writes every report file of a summary into an output folder.</summary>
public static class EvalReport
{
    /// <summary>The Markdown table's file name.</summary>
    public const string MarkdownFileName = "summary.md";

    /// <summary>The CSV table's file name.</summary>
    public const string CsvFileName = "summary.csv";

    /// <summary>The plot's file name.</summary>
    public const string PlotFileName = "plot.svg";

    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The file name of the held-out comparison (<see cref="HeldOutComparison"/>).</summary>
    public const string ComparisonFileName = "comparison.md";

    /// <summary>Writes summary.md, summary.csv, plot.svg and report.html into <paramref name="directory"/> and returns their paths.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="command">The command that produced the run, shown in the reports.</param>
    /// <param name="comparison">The held-out comparison as Markdown, for the HTML report.</param>
    /// <param name="examples">Example texts, for the HTML report.</param>
    public static IReadOnlyList<string> WriteAll(EvalSummary summary, string directory, string? command = null, string? comparison = null, IReadOnlyList<EvalExample>? examples = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        string md = Path.Combine(directory, MarkdownFileName), csv = Path.Combine(directory, CsvFileName);
        string svg = Path.Combine(directory, PlotFileName), html = Path.Combine(directory, HtmlFileName);
        MarkdownReportWriter.Write(summary, md);
        CsvReportWriter.Write(summary, csv);
        SvgPlotWriter.Write(summary, svg);
        HtmlReportWriter.Write(summary, html, command, comparison, examples);
        return [md, csv, svg, html];
    }
}
