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
    public static IReadOnlyList<string> WriteAll(EvalSummary summary, string directory, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        string md = Path.Combine(directory, MarkdownFileName), csv = Path.Combine(directory, CsvFileName);
        string svg = Path.Combine(directory, PlotFileName), html = Path.Combine(directory, HtmlFileName);
        MarkdownReportWriter.Write(summary, md);
        CsvReportWriter.Write(summary, csv);
        SvgPlotWriter.Write(summary, svg);
        HtmlReportWriter.Write(summary, html, command);
        return [md, csv, svg, html];
    }
}
