namespace PadKernel.Evaluation.Running;

/// <summary>A mean over samples (seeds) and its standard deviation (0 with one sample).</summary>
/// <param name="Mean">The mean of the per-sample values.</param>
/// <param name="StdDev">The sample standard deviation of the per-sample values.</param>
public readonly record struct Spread(double Mean, double StdDev)
{
    /// <summary>Computes the spread of <paramref name="values"/>; NaN values are ignored.</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] v = values.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0)
        {
            return new Spread(double.NaN, double.NaN);
        }

        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new Spread(mean, sd);
    }
}

/// <summary>One method's aggregate over all prompts and preferences.</summary>
public sealed class EvalSummaryRow
{
    /// <summary>Gets the method.</summary>
    public required EvalMethod Method { get; init; }

    /// <summary>Gets the number of samples (seeds) aggregated.</summary>
    public required int Samples { get; init; }

    /// <summary>Gets the number of cells (prompt × preference × sample) aggregated.</summary>
    public required int Cells { get; init; }

    /// <summary>Gets the mean adherence (0–1), spread over seeds.</summary>
    public required Spread Adherence { get; init; }

    /// <summary>Gets the perplexity of the continuations under the base model without the preference: exp(total NLL / total tokens) per seed.</summary>
    public required Spread Perplexity { get; init; }

    /// <summary>Gets the mean distinct-1.</summary>
    public required Spread Distinct1 { get; init; }

    /// <summary>Gets the mean distinct-2.</summary>
    public required Spread Distinct2 { get; init; }

    /// <summary>Gets the mean longest repeated word n-gram.</summary>
    public required double LongestRepeat { get; init; }

    /// <summary>Gets the mean continuation length in tokens.</summary>
    public required double MeanTokens { get; init; }

    /// <summary>Gets generated tokens per second of decoding (prefill included).</summary>
    public required double TokensPerSecond { get; init; }

    /// <summary>Gets forward calls per generated token (a prefill and a batched step count once each).</summary>
    public required double ForwardCallsPerToken { get; init; }

    /// <summary>Gets positions computed per generated token (prefill included).</summary>
    public required double PositionsPerToken { get; init; }

    /// <summary>Gets the mean adherence per preference id.</summary>
    public required IReadOnlyDictionary<string, double> AdherenceByPreference { get; init; }
}

/// <summary>The aggregate of an evaluation: one row per method, in grid order.</summary>
public sealed class EvalSummary
{
    /// <summary>Gets the suite's name.</summary>
    public required string Suite { get; init; }

    /// <summary>Gets the base model's id.</summary>
    public required string Model { get; init; }

    /// <summary>Gets a one-line description of the settings (max tokens, temperature, samples).</summary>
    public string Settings { get; init; } = "";

    /// <summary>Gets the preference ids, in suite order.</summary>
    public required IReadOnlyList<string> Preferences { get; init; }

    /// <summary>Gets the rows.</summary>
    public required IReadOnlyList<EvalSummaryRow> Rows { get; init; }

    /// <summary>Aggregates records into one row per method; methods are ordered baselines first, then PAD by family, k and w.</summary>
    /// <param name="records">The records.</param>
    /// <param name="suite">The suite's name.</param>
    /// <param name="model">The model's id.</param>
    /// <param name="preferences">The preference ids in display order; defaults to their order of appearance.</param>
    /// <param name="settings">A one-line description of the settings.</param>
    public static EvalSummary Create(IEnumerable<EvalRecord> records, string suite, string model, IReadOnlyList<string>? preferences = null, string settings = "")
    {
        ArgumentNullException.ThrowIfNull(records);
        EvalRecord[] all = records.ToArray();
        preferences ??= all.Select(r => r.Preference).Distinct().ToArray();
        var rows = new List<EvalSummaryRow>();
        foreach (IGrouping<string, EvalRecord> group in all.GroupBy(r => r.Method))
        {
            EvalRecord first = group.First();
            var method = new EvalMethod(first.Kind, first.Weight, first.TopK);
            IGrouping<int, EvalRecord>[] bySample = group.GroupBy(r => r.Sample).ToArray();
            long tokens = group.Sum(r => (long)r.Tokens);
            rows.Add(new EvalSummaryRow
            {
                Method = method,
                Samples = bySample.Length,
                Cells = group.Count(),
                Adherence = Spread.Of(bySample.Select(s => s.Average(r => r.Adherence))),
                Perplexity = Spread.Of(bySample.Select(s =>
                {
                    long scored = s.Sum(r => (long)r.NllTokens);
                    return scored == 0 ? double.NaN : Math.Exp(s.Sum(r => r.Nll) / scored);
                })),
                Distinct1 = Spread.Of(bySample.Select(s => s.Average(r => r.Distinct1))),
                Distinct2 = Spread.Of(bySample.Select(s => s.Average(r => r.Distinct2))),
                LongestRepeat = group.Average(r => r.LongestRepeat),
                MeanTokens = group.Average(r => r.Tokens),
                TokensPerSecond = tokens / Math.Max(group.Sum(r => r.Seconds), 1e-9),
                ForwardCallsPerToken = (double)group.Sum(r => r.ForwardCalls) / Math.Max(tokens, 1),
                PositionsPerToken = (double)group.Sum(r => r.Positions) / Math.Max(tokens, 1),
                AdherenceByPreference = group.GroupBy(r => r.Preference).ToDictionary(g => g.Key, g => g.Average(r => r.Adherence), StringComparer.Ordinal),
            });
        }

        rows.Sort((a, b) =>
        {
            int c = a.Method.ReportOrder.CompareTo(b.Method.ReportOrder);
            c = c != 0 ? c : a.Method.TopK.CompareTo(b.Method.TopK);
            return c != 0 ? c : a.Method.Weight.CompareTo(b.Method.Weight);
        });
        return new EvalSummary { Suite = suite, Model = model, Settings = settings, Preferences = preferences, Rows = rows };
    }
}
