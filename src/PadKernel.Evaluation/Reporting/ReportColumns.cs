using System.Globalization;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>The summary table's columns and cell formatting, shared by the console, Markdown, CSV and HTML writers.</summary>
public static class ReportColumns
{
    /// <summary>Gets the column headers of the summary table.</summary>
    public static IReadOnlyList<string> Headers { get; } =
        ["method", "w", "k", "n", "adherence", "perplexity", "distinct-2", "longest repeat", "tokens/s", "fwd/token"];

    /// <summary>Formats one row's cells, in <see cref="Headers"/> order.</summary>
    public static IReadOnlyList<string> Cells(EvalSummaryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        bool pad = row.Method.IsPad;
        return
        [
            MethodLabels.Name(row.Method),
            pad ? Number(row.Method.Weight, "0.##") : "–",
            row.Method.TopK > 0 ? row.Method.TopK.ToString(CultureInfo.InvariantCulture) : "–",
            row.Cells.ToString(CultureInfo.InvariantCulture),
            WithSpread(row.Adherence, "0.000"),
            WithSpread(row.Perplexity, "0.00"),
            WithSpread(row.Distinct2, "0.000"),
            Number(row.LongestRepeat, "0.0"),
            Number(row.TokensPerSecond, "0"),
            Number(row.ForwardCallsPerToken, "0.00"),
        ];
    }

    /// <summary>Formats a number with the invariant culture (NaN as "n/a").</summary>
    public static string Number(double value, string format) =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Formats a spread as "mean" or, over several seeds, "mean ± sd".</summary>
    public static string WithSpread(Spread spread, string format) =>
        spread.StdDev > 0 ? $"{Number(spread.Mean, format)} ± {Number(spread.StdDev, format)}" : Number(spread.Mean, format);
}
