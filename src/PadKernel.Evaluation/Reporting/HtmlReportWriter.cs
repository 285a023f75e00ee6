using System.Net;
using System.Text;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>Writes a self-contained HTML report: the SVG plot inline, the method table and the per-preference table.</summary>
public static class HtmlReportWriter
{
    /// <summary>Renders the report of <paramref name="summary"/>.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="command">The command that produced it, shown so the run can be reproduced; optional.</param>
    public static string Render(EvalSummary summary, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(E($"PAD evaluation: {summary.Suite} on {summary.Model}")).AppendLine("</title>")
            .AppendLine("<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0 28px}" +
                        "th,td{border:1px solid #ccc;padding:4px 10px}th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}" +
                        "tr.baseline td{font-weight:bold;background:#fff7e6}code{background:#f4f4f4;padding:2px 4px}</style></head><body>")
            .Append("<h1>").Append(E($"PAD evaluation: {summary.Suite} on {summary.Model}")).AppendLine("</h1>");
        if (summary.Settings.Length > 0)
        {
            html.Append("<p>").Append(E(summary.Settings)).AppendLine("</p>");
        }

        if (command is not null)
        {
            html.Append("<p>Command: <code>").Append(E(command)).AppendLine("</code></p>");
        }

        html.AppendLine("<figure>").Append(SvgPlotWriter.Render(summary)).AppendLine("</figure>");
        html.AppendLine("<h2>Methods</h2>");
        AppendTable(html, ReportColumns.Headers, summary.Rows.Select(r => (r.Method.IsPad, ReportColumns.Cells(r))));
        html.AppendLine("<h2>Adherence per preference</h2>");
        AppendTable(
            html,
            ["method", "w", "k", .. summary.Preferences],
            summary.Rows.Select(r => (r.Method.IsPad, (IReadOnlyList<string>)ReportColumns.Cells(r).Take(3).Concat(summary.Preferences.Select(p =>
                r.AdherenceByPreference.TryGetValue(p, out double a) ? ReportColumns.Number(a, "0.00") : "n/a")).ToArray())));
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    /// <summary>Writes the HTML report to <paramref name="path"/>.</summary>
    public static void Write(EvalSummary summary, string path, string? command = null) => File.WriteAllText(path, Render(summary, command));

    private static void AppendTable(StringBuilder html, IReadOnlyList<string> headers, IEnumerable<(bool IsPad, IReadOnlyList<string> Cells)> rows)
    {
        html.Append("<table><thead><tr>").AppendJoin("", headers.Select(h => $"<th>{E(h)}</th>")).AppendLine("</tr></thead><tbody>");
        foreach ((bool isPad, IReadOnlyList<string> cells) in rows)
        {
            html.Append(isPad ? "<tr>" : "<tr class=\"baseline\">")
                .AppendJoin("", cells.Select((c, i) => i < 3 ? $"<td>{E(c)}</td>" : $"<td class=\"num\">{E(c)}</td>"))
                .AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
