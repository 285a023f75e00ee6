using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>
/// Writes a self-contained HTML report: the SVG plot inline, the method table, the per-preference table, the held-out
/// comparison, and example texts — what each method wrote for a few prompts.
/// </summary>
public static partial class HtmlReportWriter
{
    /// <summary>Renders the report of <paramref name="summary"/>.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="command">The command that produced it, shown so the run can be reproduced; optional.</param>
    /// <param name="comparison">The held-out comparison as Markdown (<see cref="HeldOutComparison.ToMarkdown"/>); optional.</param>
    /// <param name="examples">Example texts (<see cref="EvalExample.Pick"/>); optional.</param>
    public static string Render(EvalSummary summary, string? command = null, string? comparison = null, IReadOnlyList<EvalExample>? examples = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(E($"PAD evaluation: {summary.Suite} on {summary.Model}")).AppendLine("</title>")
            .AppendLine("<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}table{border-collapse:collapse;margin:12px 0 28px}" +
                        "th,td{border:1px solid #ccc;padding:4px 10px;vertical-align:top}th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}" +
                        "tr.baseline td{font-weight:bold;background:#fff7e6}code{background:#f4f4f4;padding:2px 4px}td.text{max-width:640px}" +
                        "tr.baseline td.text{font-weight:normal}blockquote{margin:8px 0;padding:6px 12px;border-left:4px solid #ddd;background:#fafafa}</style></head><body>")
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
        if (comparison is not null)
        {
            AppendMarkdown(html, comparison);
        }

        if (examples is { Count: > 0 })
        {
            html.AppendLine("<h2>Example texts</h2>");
            foreach (EvalExample example in examples)
            {
                html.Append("<h3>").Append(E($"Preference: {example.Preference}")).AppendLine("</h3>")
                    .Append("<blockquote>").Append(E(example.Prompt)).AppendLine(" …</blockquote>");
                AppendTable(
                    html,
                    ["method", "w", "k", "adherence", "continuation"],
                    example.Continuations.Select(t => (t.Method.IsPad, (IReadOnlyList<string>)
                    [
                        MethodLabels.Name(t.Method),
                        t.Method.IsPad ? ReportColumns.Number(t.Method.Weight, "0.##") : "–",
                        t.Method.TopK > 0 ? t.Method.TopK.ToString(System.Globalization.CultureInfo.InvariantCulture) : "–",
                        ReportColumns.Number(t.Adherence, "0.00"),
                        t.Text,
                    ])),
                    textColumn: 4);
            }
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    /// <summary>Writes the HTML report to <paramref name="path"/> (see <see cref="Render"/>).</summary>
    public static void Write(EvalSummary summary, string path, string? command = null, string? comparison = null, IReadOnlyList<EvalExample>? examples = null) =>
        File.WriteAllText(path, Render(summary, command, comparison, examples));

    private static void AppendTable(StringBuilder html, IReadOnlyList<string> headers, IEnumerable<(bool IsPad, IReadOnlyList<string> Cells)> rows, int textColumn = -1)
    {
        html.Append("<table><thead><tr>").AppendJoin("", headers.Select(h => $"<th>{E(h)}</th>")).AppendLine("</tr></thead><tbody>");
        foreach ((bool isPad, IReadOnlyList<string> cells) in rows)
        {
            html.Append(isPad ? "<tr>" : "<tr class=\"baseline\">")
                .AppendJoin("", cells.Select((c, i) => i == textColumn ? $"<td class=\"text\">{E(c)}</td>" : i < 3 ? $"<td>{E(c)}</td>" : $"<td class=\"num\">{E(c)}</td>"))
                .AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    // The comparison's Markdown (headings, paragraphs, one pipe table, `code`) as HTML, so the report shows whatever
    // columns HeldOutComparison writes.
    private static void AppendMarkdown(StringBuilder html, string markdown)
    {
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith('#'))
            {
                int level = Math.Min(6, line.TakeWhile(c => c == '#').Count());
                html.Append(System.Globalization.CultureInfo.InvariantCulture, $"<h{level}>{Inline(line.TrimStart('#').Trim())}</h{level}>\n");
            }
            else if (line.StartsWith('|'))
            {
                var rows = new List<string[]>();
                for (; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
                {
                    rows.Add(Cells(lines[i]));
                }

                i--;
                html.Append("<table><thead><tr>").AppendJoin("", rows[0].Select(h => $"<th>{Inline(h)}</th>")).AppendLine("</tr></thead><tbody>");
                foreach (string[] row in rows.Skip(2))
                {
                    html.Append("<tr>").AppendJoin("", row.Select(c => $"<td>{Inline(c)}</td>")).AppendLine("</tr>");
                }

                html.AppendLine("</tbody></table>");
            }
            else if (line.Length > 0)
            {
                html.Append("<p>").Append(Inline(line)).AppendLine("</p>");
            }
        }
    }

    private static string[] Cells(string row)
    {
        string inner = row.Trim();
        inner = inner[1..(inner.EndsWith('|') ? ^1 : ^0)];
        return [.. inner.Split('|').Select(c => c.Trim())];
    }

    private static string Inline(string text) => CodeSpan().Replace(E(text), m => $"<code>{m.Groups[1].Value}</code>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
