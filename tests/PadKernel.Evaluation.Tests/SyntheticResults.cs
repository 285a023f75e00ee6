using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Tests;

/// <summary>Small hand-made result sets for the writers.</summary>
internal static class SyntheticResults
{
    public static EvalRecord Record(EvalMethod method, int prompt, string preference, double adherence, double nll, int tokens, int sample = 0, string? text = null) => new()
    {
        Method = method.Key,
        Kind = method.Kind,
        Weight = method.Weight,
        TopK = method.TopK,
        Prompt = prompt,
        Preference = preference,
        Sample = sample,
        Text = text ?? "text, with \"quotes\"",
        Tokens = tokens,
        Seconds = tokens / 1000.0,
        ForwardCalls = tokens + (method.IsPad ? 1 : 0),
        Positions = tokens * (method.IsPad ? 2 : 1),
        Nll = nll,
        NllTokens = tokens,
        Adherence = adherence,
        Judges = new Dictionary<string, double> { ["j"] = adherence },
        Distinct1 = 0.8,
        Distinct2 = 0.9,
        LongestRepeat = 2,
    };

    /// <summary>Base, prompting and PAD at three weights for two k, over two prompts and two preferences.</summary>
    public static IReadOnlyList<EvalRecord> Records(int samples = 1)
    {
        var records = new List<EvalRecord>();
        var methods = new List<EvalMethod> { new(EvalMethodKind.Base), new(EvalMethodKind.Prompting) };
        foreach (int k in new[] { 10, 20 })
        {
            methods.AddRange(new[] { 1f, 2f, 8f }.Select(w => new EvalMethod(EvalMethodKind.PadSelfContrast, w, k)));
        }

        foreach (EvalMethod m in methods)
        {
            for (int s = 0; s < samples; s++)
            {
                for (int p = 0; p < 2; p++)
                {
                    foreach (string pref in new[] { "dog", "sea" })
                    {
                        double w = m.Weight + (m.Kind == EvalMethodKind.Prompting ? 0.5 : 0);
                        double adherence = Math.Min(1, 0.1 + 0.08 * w + 0.01 * s + (pref == "dog" ? 0.05 : 0) + 0.001 * m.TopK);
                        double nll = 20 * Math.Log(3 + w * w + 0.1 * s + p);
                        records.Add(Record(m, p, pref, adherence, nll, 20, s));
                    }
                }
            }
        }

        return records;
    }

    public static EvalSummary Summary(int samples = 1) =>
        EvalSummary.Create(Records(samples), "synthetic", "test-model", ["dog", "sea"], "max 20 tokens");
}
