using PadKernel.Evaluation.Running;
using Spectre.Console;

namespace PadKernel.Evaluation.Reporting;

/// <summary>Builds the summary as a Spectre.Console table.</summary>
public static class ConsoleReport
{
    /// <summary>Creates the summary table; baselines are set apart from the PAD rows.</summary>
    public static Table CreateTable(EvalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var table = new Table().Title($"{Markup.Escape(summary.Suite)} on {Markup.Escape(summary.Model)}");
        for (int i = 0; i < ReportColumns.Headers.Count; i++)
        {
            var column = new TableColumn(ReportColumns.Headers[i]);
            table.AddColumn(i < 3 ? column : column.RightAligned());
        }

        foreach (EvalSummaryRow row in summary.Rows)
        {
            IEnumerable<string> cells = ReportColumns.Cells(row).Select(Markup.Escape);
            table.AddRow(row.Method.IsPad ? cells.ToArray() : cells.Select(c => $"[bold]{c}[/]").ToArray());
        }

        if (summary.Settings.Length > 0)
        {
            table.Caption(Markup.Escape(summary.Settings));
        }

        return table;
    }
}
