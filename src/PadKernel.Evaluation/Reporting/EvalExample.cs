using PadKernel.Evaluation.Running;
using PadKernel.Evaluation.Suites;

namespace PadKernel.Evaluation.Reporting;

/// <summary>One prompt and preference of a run with what every method wrote for it (the first sample), for reports.</summary>
/// <param name="Prompt">The prompt.</param>
/// <param name="Preference">The preference's text.</param>
/// <param name="Continuations">Each method's continuation and its adherence, in report order.</param>
public sealed record EvalExample(string Prompt, string Preference, IReadOnlyList<EvalExampleText> Continuations)
{
    /// <summary>
    /// Picks <paramref name="count"/> examples: from the test prompts (those from <paramref name="firstPrompt"/> on)
    /// when the run has them, each with another preference, so the examples show different preferences at work.
    /// </summary>
    public static IReadOnlyList<EvalExample> Pick(IReadOnlyList<EvalRecord> records, EvalSuite suite, int firstPrompt, int count)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(suite);
        int[] prompts = [.. records.Select(r => r.Prompt).Where(p => p >= firstPrompt).Distinct().Order()];
        if (prompts.Length == 0)
        {
            prompts = [.. records.Select(r => r.Prompt).Distinct().Order()];
        }

        var examples = new List<EvalExample>();
        for (int i = 0; i < Math.Min(count, prompts.Length) && suite.Preferences.Count > 0; i++)
        {
            int prompt = prompts[i];
            SuitePreference preference = suite.Preferences[i % suite.Preferences.Count];
            EvalExampleText[] texts = [.. records
                .Where(r => r.Prompt == prompt && r.Preference == preference.Id && r.Sample == 0)
                .Select(r => new EvalExampleText(new EvalMethod(r.Kind, r.Weight, r.TopK), r.Text, r.Adherence))
                .OrderBy(t => t.Method.ReportOrder).ThenBy(t => t.Method.TopK).ThenBy(t => t.Method.Weight)];
            if (texts.Length > 0 && prompt < suite.Prompts.Count)
            {
                examples.Add(new EvalExample(suite.Prompts[prompt], preference.Text, texts));
            }
        }

        return examples;
    }
}

/// <summary>What one method wrote in an <see cref="EvalExample"/>.</summary>
/// <param name="Method">The method.</param>
/// <param name="Text">The continuation.</param>
/// <param name="Adherence">Its adherence score.</param>
public sealed record EvalExampleText(EvalMethod Method, string Text, double Adherence);
