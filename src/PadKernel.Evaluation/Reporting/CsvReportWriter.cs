using System.Globalization;
using System.Text;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>Writes a summary as CSV (RFC 4180, invariant culture, full precision), one row per method.</summary>
public static class CsvReportWriter
{
    /// <summary>The CSV header.</summary>
    public static IReadOnlyList<string> Headers { get; } =
    [
        "method", "family", "weight", "top_k", "samples", "cells", "adherence", "adherence_sd", "perplexity", "perplexity_sd",
        "distinct1", "distinct2", "longest_repeat", "mean_tokens", "tokens_per_second", "forward_calls_per_token", "positions_per_token",
    ];

    /// <summary>Renders <paramref name="summary"/> as CSV; per-preference adherence follows as <c>adherence:ID</c> columns.</summary>
    public static string Render(EvalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var csv = new StringBuilder();
        csv.AppendJoin(',', Headers.Concat(summary.Preferences.Select(p => "adherence:" + p)).Select(Quote)).Append("\r\n");
        foreach (EvalSummaryRow r in summary.Rows)
        {
            object[] cells =
            [
                r.Method.Key, r.Method.Family, r.Method.Weight, r.Method.TopK, r.Samples, r.Cells, r.Adherence.Mean, r.Adherence.StdDev,
                r.Perplexity.Mean, r.Perplexity.StdDev, r.Distinct1.Mean, r.Distinct2.Mean, r.LongestRepeat, r.MeanTokens,
                r.TokensPerSecond, r.ForwardCallsPerToken, r.PositionsPerToken,
            ];
            IEnumerable<object> perPreference = summary.Preferences.Select(p => (object)r.AdherenceByPreference.GetValueOrDefault(p, double.NaN));
            csv.AppendJoin(',', cells.Concat(perPreference).Select(c => Quote(Format(c)))).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Writes the CSV report to <paramref name="path"/>.</summary>
    public static void Write(EvalSummary summary, string path) => File.WriteAllText(path, Render(summary));

    private static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
