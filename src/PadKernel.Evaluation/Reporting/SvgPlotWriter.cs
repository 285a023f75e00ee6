using System.Globalization;
using System.Security;
using System.Text;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>
/// Draws adherence (y) against perplexity (x) as a self-contained SVG: one point per method and weight, each PAD
/// family and k joined as a curve in order of w and labelled with w (labels placed where they overlap nothing), the
/// baselines as distinct markers (one per matched-prompting k), error bars over seeds, axes with ticks and labels, and
/// a legend with one entry per series that wraps its labels to fit. A log x axis is used when perplexities span a wide range.
/// </summary>
public static class SvgPlotWriter
{
    /// <summary>The plot's width in pixels.</summary>
    public const int Width = 960;

    /// <summary>The plot's height in pixels.</summary>
    public const int Height = 560;

    /// <summary>The plot area's left edge.</summary>
    public const double Left = 80;

    /// <summary>The plot area's right edge (the legend sits to its right).</summary>
    public const double Right = Width - 250;

    /// <summary>The plot area's top edge.</summary>
    public const double Top = 56;

    /// <summary>The plot area's bottom edge.</summary>
    public const double Bottom = Height - 70;

    private static readonly string[] s_palette = ["#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
    private static readonly string[] s_controlPalette = ["#e6550d", "#a63603", "#fd8d3c"];

    /// <summary>Renders the plot of <paramref name="summary"/> as SVG text.</summary>
    public static string Render(EvalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        EvalSummaryRow[] rows = summary.Rows.Where(r => double.IsFinite(r.Perplexity.Mean) && double.IsFinite(r.Adherence.Mean) && r.Perplexity.Mean > 0).ToArray();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{Esc($"Adherence vs fluency: {summary.Suite} on {summary.Model}")}</text>\n");
        if (summary.Settings.Length > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"42\" text-anchor=\"middle\" fill=\"#555\">{Esc(summary.Settings)}</text>\n");
        }

        Axis x = Axis.ForPerplexity(rows.Select(r => r.Perplexity.Mean));
        Axis y = Axis.ForAdherence(rows.Select(r => r.Adherence.Mean + r.Adherence.StdDev));
        DrawAxes(svg, x, y);

        // Every point and marker is placed first; the w labels then take free places around their points.
        var legend = new List<(string Label, string Marker)>();
        var labels = new List<(double X, double Y, string Text, string Colour)>();
        int colour = 0;
        foreach (IGrouping<string, EvalSummaryRow> series in rows.Where(r => r.Method.IsPad).GroupBy(r => r.Method.Series))
        {
            string c = s_palette[colour++ % s_palette.Length];
            EvalSummaryRow[] points = series.OrderBy(r => r.Method.Weight).ToArray();
            string path = string.Join(' ', points.Select(r => P(x.Map(r.Perplexity.Mean)) + "," + P(y.Map(r.Adherence.Mean))));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"curve\" points=\"{path}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\"/>\n");
            foreach (EvalSummaryRow r in points)
            {
                double px = x.Map(r.Perplexity.Mean), py = y.Map(r.Adherence.Mean);
                ErrorBar(svg, r, px, y, c);
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" data-method=\"{Esc(r.Method.Key)}\" cx=\"{P(px)}\" cy=\"{P(py)}\" r=\"4.5\" fill=\"{c}\"><title>{Esc(Tooltip(r))}</title></circle>\n");
                labels.Add((px, py, "w=" + ReportColumns.Number(r.Method.Weight, "0.##"), c));
            }

            AddLegend(legend, MethodLabels.Series(points[0].Method), $"line:{c}");
        }

        int control = 0;
        foreach (EvalSummaryRow r in rows.Where(r => !r.Method.IsPad).OrderBy(r => r.Method.ReportOrder).ThenBy(r => r.Method.TopK))
        {
            double px = x.Map(r.Perplexity.Mean), py = y.Map(r.Adherence.Mean);
            (string shape, string c) = r.Method.Kind switch
            {
                EvalMethodKind.Base => ("square", "#222222"),
                EvalMethodKind.Prompting => ("diamond", "#d62728"),
                _ => ("triangle", s_controlPalette[control++ % s_controlPalette.Length]),
            };
            ErrorBar(svg, r, px, y, c);
            svg.Append(Marker(shape, px, py, c, r.Method.Key, Tooltip(r)));
            AddLegend(legend, MethodLabels.Series(r.Method), $"{shape}:{c}");
        }

        PlotLabels.Place(svg, labels, rows.Select(r => (x.Map(r.Perplexity.Mean), y.Map(r.Adherence.Mean))).ToArray(), (Left, Top, Right, Bottom));
        DrawLegend(svg, legend);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Writes the SVG plot to <paramref name="path"/>.</summary>
    public static void Write(EvalSummary summary, string path) => File.WriteAllText(path, Render(summary));

    private static void DrawAxes(StringBuilder svg, Axis x, Axis y)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"plot-area\" x=\"{P(Left)}\" y=\"{P(Top)}\" width=\"{P(Right - Left)}\" height=\"{P(Bottom - Top)}\" fill=\"#fafafa\" stroke=\"#333\"/>\n");
        foreach (double t in x.Ticks)
        {
            double px = x.Map(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(px)}\" y1=\"{P(Top)}\" x2=\"{P(px)}\" y2=\"{P(Bottom)}\" stroke=\"#e3e3e3\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(px)}\" y1=\"{P(Bottom)}\" x2=\"{P(px)}\" y2=\"{P(Bottom + 5)}\" stroke=\"#333\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"xtick\" x=\"{P(px)}\" y=\"{P(Bottom + 19)}\" text-anchor=\"middle\">{TickLabel(t)}</text>\n");
        }

        foreach (double t in y.Ticks)
        {
            double py = y.Map(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(Left)}\" y1=\"{P(py)}\" x2=\"{P(Right)}\" y2=\"{P(py)}\" stroke=\"#e3e3e3\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(Left - 5)}\" y1=\"{P(py)}\" x2=\"{P(Left)}\" y2=\"{P(py)}\" stroke=\"#333\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"ytick\" x=\"{P(Left - 9)}\" y=\"{P(py + 4)}\" text-anchor=\"end\">{TickLabel(t)}</text>\n");
        }

        string xLabel = "perplexity of the continuation under the base model, no preference (lower = more fluent)" + (x.IsLog ? ", log scale" : "");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{P((Left + Right) / 2)}\" y=\"{Height - 24}\" text-anchor=\"middle\" font-size=\"13\">{Esc(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(24 {P((Top + Bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">adherence: mean judge score (higher = follows the preference)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(Left + 8)}\" y=\"{P(Top + 16)}\" fill=\"#888\" font-size=\"11\">↖ better: more adherent and more fluent</text>\n");
    }

    // One entry per label: the rows of a series (or two runs of one control) share it.
    private static void AddLegend(List<(string Label, string Marker)> legend, string label, string marker)
    {
        if (!legend.Exists(e => e.Label == label))
        {
            legend.Add((label, marker));
        }
    }

    private static void DrawLegend(StringBuilder svg, List<(string Label, string Marker)> legend)
    {
        // Labels wider than the legend wrap onto more lines, so none runs past the image's right edge.
        const double LineHeight = 15, Gap = 8;
        double lx = Right + 18, ly = Top + 4, textWidth = Width - lx - 32 - 10;
        List<string>[] lines = [.. legend.Select(e => PlotLabels.Wrap(e.Label, textWidth, 12))];
        double height = lines.Sum(l => l.Count * LineHeight + Gap) + 8;
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"legend\" x=\"{P(lx - 8)}\" y=\"{P(ly - 4)}\" width=\"{P(Width - lx + 4)}\" height=\"{P(height)}\" fill=\"#fff\" stroke=\"#bbb\"/>\n");
        double cy = ly + 12;
        for (int i = 0; i < legend.Count; i++)
        {
            string[] parts = legend[i].Marker.Split(':');
            svg.Append(parts[0] == "line"
                ? string.Create(CultureInfo.InvariantCulture, $"<line x1=\"{P(lx)}\" y1=\"{P(cy)}\" x2=\"{P(lx + 24)}\" y2=\"{P(cy)}\" stroke=\"{parts[1]}\" stroke-width=\"2\"/><circle cx=\"{P(lx + 12)}\" cy=\"{P(cy)}\" r=\"4\" fill=\"{parts[1]}\"/>\n")
                : Marker(parts[0], lx + 12, cy, parts[1], null, null));
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"legend-label\" x=\"{P(lx + 32)}\" y=\"{P(cy + 4)}\">");
            for (int line = 0; line < lines[i].Count; line++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{P(lx + 32)}\" dy=\"{(line == 0 ? 0 : LineHeight)}\">{Esc(lines[i][line])}</tspan>");
            }

            svg.Append("</text>\n");
            cy += lines[i].Count * LineHeight + Gap;
        }
    }

    private static void ErrorBar(StringBuilder svg, EvalSummaryRow r, double px, Axis y, string colour)
    {
        if (r.Adherence.StdDev > 0)
        {
            double y1 = y.Map(Math.Max(y.Min, r.Adherence.Mean - r.Adherence.StdDev)), y2 = y.Map(Math.Min(y.Max, r.Adherence.Mean + r.Adherence.StdDev));
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"errorbar\" x1=\"{P(px)}\" y1=\"{P(y1)}\" x2=\"{P(px)}\" y2=\"{P(y2)}\" stroke=\"{colour}\" stroke-opacity=\"0.6\"/>\n");
        }
    }

    private static string Marker(string shape, double x, double y, string colour, string? method, string? title)
    {
        string cls = method is null ? "" : $" class=\"point\" data-method=\"{Esc(method)}\"";
        string tip = title is null ? "" : $"<title>{Esc(title)}</title>";
        return shape switch
        {
            "square" => string.Create(CultureInfo.InvariantCulture, $"<rect{cls} x=\"{P(x - 5)}\" y=\"{P(y - 5)}\" width=\"10\" height=\"10\" fill=\"{colour}\">{tip}</rect>\n"),
            "triangle" => string.Create(CultureInfo.InvariantCulture, $"<polygon{cls} points=\"{P(x)},{P(y - 7)} {P(x + 7)},{P(y + 5)} {P(x - 7)},{P(y + 5)}\" fill=\"{colour}\">{tip}</polygon>\n"),
            _ => string.Create(CultureInfo.InvariantCulture, $"<polygon{cls} points=\"{P(x)},{P(y - 7)} {P(x + 7)},{P(y)} {P(x)},{P(y + 7)} {P(x - 7)},{P(y)}\" fill=\"{colour}\">{tip}</polygon>\n"),
        };
    }

    private static string Tooltip(EvalSummaryRow r) =>
        $"{r.Method.Key}: adherence {ReportColumns.WithSpread(r.Adherence, "0.000")}, perplexity {ReportColumns.WithSpread(r.Perplexity, "0.00")}";

    private static string TickLabel(double t) => t.ToString(Math.Abs(t) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);

    internal static string P(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Esc(string text) => SecurityElement.Escape(text);

    /// <summary>A linear or log axis mapped onto the plot area.</summary>
    private sealed class Axis
    {
        private readonly double _from;
        private readonly double _to;

        private Axis(double min, double max, bool isLog, IReadOnlyList<double> ticks, double from, double to)
        {
            Min = min;
            Max = max;
            IsLog = isLog;
            Ticks = ticks;
            _from = from;
            _to = to;
        }

        public double Min { get; }

        public double Max { get; }

        public bool IsLog { get; }

        public IReadOnlyList<double> Ticks { get; }

        public static Axis ForPerplexity(IEnumerable<double> values)
        {
            double[] v = values.ToArray();
            double lo = v.Length > 0 ? v.Min() : 1, hi = v.Length > 0 ? v.Max() : 10;
            if (hi / lo > 6)
            {
                double a = Math.Log10(lo) - 0.04, b = Math.Log10(hi) + 0.04;
                double min = Math.Pow(10, a), max = Math.Pow(10, b);
                var ticks = new List<double>();
                for (int e = (int)Math.Floor(a); e <= (int)Math.Ceiling(b); e++)
                {
                    foreach (int m in new[] { 1, 2, 5 })
                    {
                        double t = m * Math.Pow(10, e);
                        if (t >= min && t <= max)
                        {
                            ticks.Add(t);
                        }
                    }
                }

                return new Axis(min, max, true, ticks, Left, Right);
            }

            if (hi - lo < 1e-9)
            {
                lo -= 0.5;
                hi += 0.5;
            }

            double pad = (hi - lo) * 0.08;
            return Linear(Math.Max(0, lo - pad), hi + pad, Left, Right);
        }

        public static Axis ForAdherence(IEnumerable<double> values)
        {
            double[] v = values.Where(double.IsFinite).ToArray();
            double hi = v.Length > 0 ? v.Max() : 1;
            return Linear(0, Math.Min(1, Math.Max(0.05, hi * 1.12)), Bottom, Top);
        }

        public double Map(double value)
        {
            double a = IsLog ? Math.Log10(Min) : Min, b = IsLog ? Math.Log10(Max) : Max;
            double t = ((IsLog ? Math.Log10(value) : value) - a) / (b - a);
            return _from + t * (_to - _from);
        }

        private static Axis Linear(double min, double max, double from, double to)
        {
            double step = NiceStep((max - min) / 6);
            var ticks = new List<double>();
            for (double t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step)
            {
                ticks.Add(Math.Round(t, 10));
            }

            return new Axis(min, max, false, ticks, from, to);
        }

        private static double NiceStep(double raw)
        {
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double r = raw / magnitude;
            return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
        }
    }
}
