using PadKernel.Evaluation.Reporting;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Tests;

public sealed class HeldOutComparisonTests
{
    private static readonly EvalMethod Prompting = new(EvalMethodKind.Prompting);
    private static readonly EvalMethod Matched = new(EvalMethodKind.PromptingTopK, 0, 10);

    [Fact]
    public void ChoosesWOnDevPromptsWithinTheFluencyToleranceAndReportsOnTestPromptsOnly()
    {
        var records = new List<EvalRecord>();
        void Add(EvalMethod m, Func<int, double> adherence, double perTokenNll)
        {
            for (int p = 0; p < 8; p++)
            {
                foreach (string pref in new[] { "frog", "moon" })
                {
                    records.Add(SyntheticResults.Record(m, p, pref, adherence(p), perTokenNll * 20, 20));
                }
            }
        }

        Add(Prompting, _ => 0.2, Math.Log(2));
        Add(Matched, _ => 0.2, Math.Log(2));

        // w=1 is fluent and helps; w=4 helps more on dev but is far less fluent; w=2 is fluent, best on dev, bad on test.
        Add(new EvalMethod(EvalMethodKind.PadRewardModel, 1, 10), _ => 0.4, Math.Log(2.1));
        Add(new EvalMethod(EvalMethodKind.PadRewardModel, 2, 10), p => p < 4 ? 0.6 : 0.0, Math.Log(2.15));
        Add(new EvalMethod(EvalMethodKind.PadRewardModel, 4, 10), _ => 0.9, Math.Log(5));

        HeldOutComparison comparison = HeldOutComparison.Create(records, promptCount: 8, devPrompts: 4);

        HeldOutRow rm = Assert.Single(comparison.Rows, r => r.Method.IsPad);
        Assert.Equal(2f, rm.Method.Weight); // chosen on dev: best adherence among weights with ppl ≤ 1.1 × 2
        Assert.Equal("prompting k=10", rm.Control);
        Assert.Equal(0.0, rm.Adherence.Mean, 12); // reported on test prompts, where it fails
        Assert.Equal(8, rm.Adherence.Count); // 4 test prompts × 2 preferences
        Assert.Equal(-0.2, rm.VersusControl!.Difference.Mean, 12);
        Assert.Equal((0, 0, 8), (rm.VersusControl.Wins, rm.VersusControl.Ties, rm.VersusControl.Losses));
        Assert.True(rm.VersusControl.Difference.BelowZero || rm.VersusControl.Difference.High <= -0.2 + 1e-12);
        Assert.Equal(2.15, rm.Perplexity, 9);
        Assert.Contains("test prompts 5–8", comparison.Split, StringComparison.Ordinal);
        Assert.Equal(["prompting", "prompting k=10", "pad-rm w=2 k=10"], comparison.Rows.Select(r => r.Method.Key));
        Assert.Contains("| pad-rm w=2 k=10 |", comparison.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void ARunInterruptedBeforeTheTestPromptsReportsNoRowsInsteadOfFailing()
    {
        // Ctrl+C during the dev prompts: records exist only for prompts 0-1 of a 4 + 4 split.
        var records = new List<EvalRecord>();
        foreach (EvalMethod m in new[] { Prompting, new EvalMethod(EvalMethodKind.PadSelfContrast, 2, 10) })
        {
            for (int p = 0; p < 2; p++)
            {
                records.Add(SyntheticResults.Record(m, p, "frog", 0.5, 20 * Math.Log(2), 20));
            }
        }

        HeldOutComparison comparison = HeldOutComparison.Create(records, promptCount: 8, devPrompts: 4);

        Assert.Empty(comparison.Rows);
        Assert.NotNull(comparison.ToMarkdown());
    }

    [Fact]
    public void WithNoWeightFluentEnoughItSaysSoAndTakesTheMostFluent()
    {
        var records = new List<EvalRecord>();
        foreach (EvalMethod m in new[] { Prompting, new EvalMethod(EvalMethodKind.PadSelfContrast, 2, 10), new EvalMethod(EvalMethodKind.PadSelfContrast, 4, 10) })
        {
            for (int p = 0; p < 4; p++)
            {
                double nll = m.IsPad ? 20 * Math.Log(3 + m.Weight) : 20 * Math.Log(2);
                records.Add(SyntheticResults.Record(m, p, "frog", m.Weight / 10, nll, 20));
            }
        }

        HeldOutComparison comparison = HeldOutComparison.Create(records, promptCount: 4, devPrompts: null);

        HeldOutRow sc = Assert.Single(comparison.Rows, r => r.Method.IsPad);
        Assert.Equal(2f, sc.Method.Weight);
        Assert.StartsWith("no w within", sc.Selection, StringComparison.Ordinal);
        Assert.Equal("prompting", sc.Control);
        Assert.Contains("no dev split", comparison.Split, StringComparison.Ordinal);
    }
}
