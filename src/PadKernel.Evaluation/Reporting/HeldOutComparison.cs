using System.Globalization;
using System.Text;
using PadKernel.Evaluation.Running;
using PadKernel.Evaluation.Statistics;

namespace PadKernel.Evaluation.Reporting;

/// <summary>One method's line of a <see cref="HeldOutComparison"/>: its scores on the test prompts.</summary>
public sealed class HeldOutRow
{
    /// <summary>Gets the method.</summary>
    public required EvalMethod Method { get; init; }

    /// <summary>Gets the control this row is paired with (matched-k prompting for PAD when run, else prompting); null for the controls.</summary>
    public string? Control { get; init; }

    /// <summary>Gets a note on how w was chosen on the dev prompts (PAD rows only).</summary>
    public string? Selection { get; init; }

    /// <summary>Gets the mean adherence over (prompt, preference) units with its bootstrap interval.</summary>
    public required ConfidenceInterval Adherence { get; init; }

    /// <summary>Gets the paired comparison with <see cref="Control"/>, or null for the controls.</summary>
    public PairedComparison? VersusControl { get; init; }

    /// <summary>Gets the pooled perplexity under the base model reading the bare prompt.</summary>
    public required double Perplexity { get; init; }

    /// <summary>Gets the pooled perplexity under the fluency model, or NaN without one.</summary>
    public required double FluencyPerplexity { get; init; }

    /// <summary>Gets the mean distinct-2.</summary>
    public required double Distinct2 { get; init; }

    /// <summary>Gets the share of continuations that copy the preference or write meta-text.</summary>
    public required double CopyRate { get; init; }
}

/// <summary>
/// The fair comparison of an evaluation: PAD's weight is chosen per family and k on the dev prompts — the highest
/// adherence among weights whose dev perplexity stays within <see cref="FluencyTolerance"/> of the matched prompting
/// control's — and every method is then reported on the separate test prompts, paired per (prompt, preference)
/// against prompting with bootstrap 95% intervals and win/tie/loss counts.
/// </summary>
public sealed class HeldOutComparison
{
    /// <summary>The allowed perplexity ratio to the control when choosing w (1.10: at most 10% above prompting).</summary>
    public const double FluencyTolerance = 1.10;

    /// <summary>Gets a description of the split.</summary>
    public required string Split { get; init; }

    /// <summary>Gets a value indicating whether perplexity matching used the fluency model (else the base model).</summary>
    public required bool MatchedOnFluencyModel { get; init; }

    /// <summary>Gets the rows: base, prompting, matched prompting, then the chosen PAD methods.</summary>
    public required IReadOnlyList<HeldOutRow> Rows { get; init; }

    /// <summary>Builds the comparison from a run's records.</summary>
    /// <param name="records">The records of one run (all prompts).</param>
    /// <param name="promptCount">The number of prompts the run used.</param>
    /// <param name="devPrompts">The number of leading prompts that form the dev split; null to choose and report on all prompts.</param>
    /// <param name="seed">The bootstrap seed.</param>
    public static HeldOutComparison Create(IReadOnlyList<EvalRecord> records, int promptCount, int? devPrompts, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(records);
        bool split = devPrompts is int d && d > 0 && d < promptCount;
        int dev = split ? devPrompts!.Value : promptCount;
        EvalRecord[] devRecords = records.Where(r => r.Prompt < dev).ToArray();
        EvalRecord[] testRecords = split ? records.Where(r => r.Prompt >= dev).ToArray() : devRecords;
        bool useFluency = records.Count > 0 && records.All(r => r.FluencyNll is not null);
        Dictionary<string, EvalMethod> methods = records
            .GroupBy(r => r.Method)
            .ToDictionary(g => g.Key, g => new EvalMethod(g.First().Kind, g.First().Weight, g.First().TopK), StringComparer.Ordinal);

        string ControlOf(EvalMethod method)
        {
            string matched = new EvalMethod(EvalMethodKind.PromptingTopK, 0, method.TopK).Key;
            return methods.ContainsKey(matched) ? matched : "prompting";
        }

        // A run interrupted before (some of) the test prompts reports only the methods that reached them.
        var tested = testRecords.Select(r => r.Method).ToHashSet(StringComparer.Ordinal);
        var rows = new List<HeldOutRow>();
        foreach (EvalMethod control in methods.Values.Where(m => !m.IsPad && tested.Contains(m.Key)).OrderBy(m => m.ReportOrder).ThenBy(m => m.TopK))
        {
            rows.Add(Row(control, testRecords, control: null, selection: null, seed));
        }

        foreach (IGrouping<(EvalMethodKind Kind, int TopK), EvalMethod> family in methods.Values.Where(m => m.IsPad).GroupBy(m => (m.Kind, m.TopK)).OrderBy(g => g.Key.Kind == EvalMethodKind.PadSelfContrast ? 0 : 1).ThenBy(g => g.Key.TopK))
        {
            EvalMethod first = family.First();
            string control = ControlOf(first);
            double limit = FluencyTolerance * PooledPerplexity(devRecords.Where(r => r.Method == control), useFluency);
            var candidates = family
                .Select(m => (Method: m, Adherence: Mean(devRecords, m.Key), Perplexity: PooledPerplexity(devRecords.Where(r => r.Method == m.Key), useFluency)))
                .OrderBy(c => c.Method.Weight)
                .ToArray();
            var within = candidates.Where(c => c.Perplexity <= limit).ToArray();
            string where = split ? "dev" : "same prompts";
            (EvalMethod chosen, string note) = within.Length > 0
                ? (within.MaxBy(c => c.Adherence).Method, string.Create(CultureInfo.InvariantCulture, $"best {where} adherence with {where} ppl ≤ {limit:0.00}"))
                : (candidates.MinBy(c => c.Perplexity).Method, string.Create(CultureInfo.InvariantCulture, $"no w within {where} ppl ≤ {limit:0.00}; lowest-ppl w"));
            if (tested.Contains(chosen.Key))
            {
                rows.Add(Row(chosen, testRecords, control, note, seed));
            }
        }

        string description = split
            ? string.Create(CultureInfo.InvariantCulture, $"w chosen on dev prompts 1–{dev}, reported on test prompts {dev + 1}–{promptCount}")
            : "no dev split: w chosen on the same prompts it is reported on (optimistic)";
        return new HeldOutComparison { Split = description, MatchedOnFluencyModel = useFluency, Rows = rows };
    }

    /// <summary>Renders the comparison as a Markdown section.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("## Held-out comparison").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Split}. Adherence is averaged per (prompt, preference) unit; Δ is paired against the control with a 95% percentile-bootstrap interval over units; W/T/L counts units. w is chosen per family and k as the best dev adherence among weights whose dev perplexity under the {(MatchedOnFluencyModel ? "fluency model" : "base model")} is at most {FluencyTolerance:0.00}× the control's.").AppendLine();
        md.AppendLine("| method | w chosen | adherence [95% CI] | control | Δ adherence [95% CI] | W/T/L | ppl (base) | ppl (fluency model) | distinct-2 | copies |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (HeldOutRow row in Rows)
        {
            string delta = row.VersusControl is { } v ? Interval(v.Difference, signed: true) : "";
            string wtl = row.VersusControl is { } c ? $"{c.Wins}/{c.Ties}/{c.Losses}" : "";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Method.Key} | {row.Selection ?? ""} | {Interval(row.Adherence, signed: false)} | {row.Control ?? ""} | {delta} | {wtl} | {row.Perplexity:0.00} | {(double.IsNaN(row.FluencyPerplexity) ? "–" : row.FluencyPerplexity.ToString("0.00", CultureInfo.InvariantCulture))} | {row.Distinct2:0.000} | {row.CopyRate:P0} |");
        }

        return md.ToString();
    }

    private static string Interval(ConfidenceInterval ci, bool signed) => signed
        ? string.Create(CultureInfo.InvariantCulture, $"{ci.Mean:+0.000;-0.000;0.000} [{ci.Low:+0.000;-0.000;0.000}, {ci.High:+0.000;-0.000;0.000}]")
        : string.Create(CultureInfo.InvariantCulture, $"{ci.Mean:0.000} [{ci.Low:0.000}, {ci.High:0.000}]");

    private static HeldOutRow Row(EvalMethod method, EvalRecord[] records, string? control, string? selection, int seed)
    {
        EvalRecord[] mine = records.Where(r => r.Method == method.Key).ToArray();
        Dictionary<(int, string), double> units = Units(mine);
        return new HeldOutRow
        {
            Method = method,
            Control = control,
            Selection = selection,
            Adherence = Bootstrap.MeanInterval(units.Values.ToArray(), seed: seed),
            VersusControl = control is null ? null : PairedComparison.Create(units, Units(records.Where(r => r.Method == control)), seed: seed),
            Perplexity = PooledPerplexity(mine, fluency: false),
            FluencyPerplexity = mine.All(r => r.FluencyNll is not null) ? PooledPerplexity(mine, fluency: true) : double.NaN,
            Distinct2 = mine.Average(r => r.Distinct2),
            CopyRate = mine.Average(r => r.Copies > 0 ? 1.0 : 0.0),
        };
    }

    private static Dictionary<(int, string), double> Units(IEnumerable<EvalRecord> records) =>
        records.GroupBy(r => (r.Prompt, r.Preference)).ToDictionary(g => g.Key, g => g.Average(r => r.Adherence));

    private static double Mean(IEnumerable<EvalRecord> records, string method) =>
        records.Where(r => r.Method == method).Select(r => r.Adherence).DefaultIfEmpty(double.NaN).Average();

    private static double PooledPerplexity(IEnumerable<EvalRecord> records, bool fluency)
    {
        double nll = 0;
        long tokens = 0;
        foreach (EvalRecord r in records)
        {
            nll += fluency ? r.FluencyNll ?? 0 : r.Nll;
            tokens += fluency ? r.FluencyTokens : r.NllTokens;
        }

        return tokens == 0 ? double.NaN : Math.Exp(nll / tokens);
    }
}
