using System.Text;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>Writes a summary as Markdown: the method table and the adherence of each method per preference.</summary>
public static class MarkdownReportWriter
{
    /// <summary>Renders <paramref name="summary"/> as Markdown.</summary>
    public static string Render(EvalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var md = new StringBuilder();
        md.Append("## ").Append(summary.Suite).Append(" on ").AppendLine(summary.Model).AppendLine();
        if (summary.Settings.Length > 0)
        {
            md.AppendLine(summary.Settings).AppendLine();
        }

        AppendTable(md, ReportColumns.Headers, summary.Rows.Select(ReportColumns.Cells));
        md.AppendLine().AppendLine("### Adherence per preference").AppendLine();
        AppendTable(
            md,
            ["method", "w", "k", .. summary.Preferences],
            summary.Rows.Select(r => ReportColumns.Cells(r).Take(3).Concat(summary.Preferences.Select(p =>
                r.AdherenceByPreference.TryGetValue(p, out double a) ? ReportColumns.Number(a, "0.00") : "n/a")).ToArray()));
        return md.ToString();
    }

    /// <summary>Writes the Markdown report to <paramref name="path"/>.</summary>
    public static void Write(EvalSummary summary, string path) => File.WriteAllText(path, Render(summary));

    private static void AppendTable(StringBuilder md, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        md.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        md.Append('|').AppendJoin('|', headers.Select((_, i) => i < 3 ? "---" : "---:")).AppendLine("|");
        foreach (IReadOnlyList<string> row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
        }
    }
}
