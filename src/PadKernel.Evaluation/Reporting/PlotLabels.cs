using System.Globalization;
using System.Text;

namespace PadKernel.Evaluation.Reporting;

/// <summary>
/// Text layout for the SVG plot without a renderer: widths estimated from Helvetica's advance widths, w labels put in
/// the first place around their point that overlaps no point and no other label, legend labels wrapped to a width.
/// </summary>
internal static class PlotLabels
{
    private const double LabelSize = 10;

    // Candidate places around a point, nearest first: (dx, dy of the baseline start, anchor at the end?).
    private static readonly (double Dx, double Dy, bool End)[] s_places =
    [
        (7, 15, false), (-7, -7, true), (7, -7, false), (-7, 15, true),
        (10, 4, false), (-10, 4, true), (-12, -16, true), (12, -16, false), (12, 26, false), (-12, 26, true),
        (20, 4, false), (-20, 4, true), (0, -20, false), (0, 30, false),
    ];

    /// <summary>Writes each label at the first free place around its point; a label with no free place is left out (the point's tooltip still names it).</summary>
    public static void Place(StringBuilder svg, IReadOnlyList<(double X, double Y, string Text, string Colour)> labels, IReadOnlyList<(double X, double Y)> points, (double Left, double Top, double Right, double Bottom) area)
    {
        // Points are obstacles (a marker's box), and every placed label becomes one.
        var taken = points.Select(p => (p.X - 7, p.Y - 7, p.X + 7, p.Y + 7)).ToList();
        foreach ((double x, double y, string text, string colour) in labels)
        {
            double width = TextWidth(text, LabelSize);
            foreach ((double dx, double dy, bool end) in s_places)
            {
                double left = end ? x + dx - width : x + dx;
                (double, double, double, double) box = (left - 1, y + dy - LabelSize * 0.8 - 1, left + width + 1, y + dy + LabelSize * 0.25 + 1);
                if (box.Item1 < area.Left || box.Item3 > area.Right || box.Item2 < area.Top || box.Item4 > area.Bottom || taken.Any(t => Overlap(t, box)))
                {
                    continue;
                }

                taken.Add(box);
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"wlabel\" x=\"{SvgPlotWriter.P(left)}\" y=\"{SvgPlotWriter.P(y + dy)}\" font-size=\"{LabelSize}\" fill=\"{colour}\">{SvgPlotWriter.Esc(text)}</text>\n");
                break;
            }
        }
    }

    /// <summary>Splits <paramref name="text"/> into lines no wider than <paramref name="width"/> at word boundaries.</summary>
    public static List<string> Wrap(string text, double width, double fontSize)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && TextWidth(candidate, fontSize) > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }

        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>Estimates the rendered width of <paramref name="text"/> in Helvetica/Arial, erring wide.</summary>
    public static double TextWidth(string text, double fontSize) => text.Sum(c => c switch
    {
        ' ' or '.' or ',' or 'i' or 'j' or 'l' or '\'' or '|' => 0.28,
        'f' or 't' or 'r' or '(' or ')' or '[' or ']' or '-' => 0.36,
        'm' or 'w' or 'M' or 'W' or '@' => 0.9,
        >= 'A' and <= 'Z' => 0.72,
        _ => 0.58,
    }) * fontSize * 1.05;

    private static bool Overlap((double L, double T, double R, double B) a, (double L, double T, double R, double B) b) =>
        a.L < b.R && b.L < a.R && a.T < b.B && b.T < a.B;
}
