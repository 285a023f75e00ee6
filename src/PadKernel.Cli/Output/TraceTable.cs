using System.Globalization;
using System.Text;
using PadKernel.Alignment;
using PadKernel.Text;
using Spectre.Console;

namespace PadKernel.Cli.Output;

/// <summary>
/// Renders a PAD trace: by default only the steps where the reward changed the token (the ones that explain the
/// text), with <c>--trace all</c> every step; each shown step with the text before it and every candidate's l_b / r / s.
/// </summary>
internal static class TraceTable
{
    public static void Write(IAnsiConsole console, ITokenizer tokenizer, IReadOnlyList<PadStep> steps, IReadOnlyList<Preference> preferences, bool allSteps)
    {
        int changed = steps.Count(s => s.Changed);
        string rewardNames = preferences.Count == 0 ? "no preference" : string.Join(", ", preferences.Select(p => $"\"{p.Text}\""));
        if (allSteps || changed > 0)
        {
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("step")
                .AddColumn("after")
                .AddColumn("base top")
                .AddColumn("chosen")
                .AddColumn("candidates: token  base logit  reward(s)  score");
            var before = new StringBuilder();
            foreach (PadStep step in steps)
            {
                if (allSteps || step.Changed)
                {
                    AddRow(table, tokenizer, step, before.Length > 24 ? "…" + before.ToString(before.Length - 23, 23) : before.ToString());
                }

                before.Append(TokenText.Show(tokenizer, step.ChosenTokenId));
            }

            console.Write(table);
        }

        string which = allSteps ? "* marks them" : "shown above; --trace all shows every step";
        console.WriteLine(changed == 0
            ? $"The reward ({rewardNames}) changed none of the {steps.Count} tokens: the text is what plain decoding writes."
            : $"{changed} of {steps.Count} tokens changed by the reward ({rewardNames}), {which}.");
    }

    /// <summary>A reward with its sign, "+0.00" for one that rounds to zero (never "-0.00" or "-+0.00").</summary>
    internal static string Signed(float value)
    {
        double rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return rounded == 0 ? "+0.00" : rounded.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
    }

    // "0.00", never "-0.00", for a value that rounds to zero.
    private static string Fixed(float value) => (Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.0).ToString("0.00", CultureInfo.InvariantCulture);

    private static void AddRow(Table table, ITokenizer tokenizer, PadStep step, string before)
    {
        string chosen = Markup.Escape(Quote(tokenizer, step.ChosenTokenId));
        var candidates = new StringBuilder();
        foreach (PadCandidate candidate in step.Candidates)
        {
            string rewards = string.Join("/", candidate.Rewards.Select(Signed));
            string line = string.Create(CultureInfo.InvariantCulture, $"{Quote(tokenizer, candidate.TokenId),-12} {Fixed(candidate.BaseLogit),7}  {rewards,-12} {Fixed(candidate.Score),7}");
            candidates.AppendLine(candidate.TokenId == step.ChosenTokenId ? $"[bold]{Markup.Escape(line)}[/]" : Markup.Escape(line));
        }

        table.AddRow(
            new Markup(step.Index.ToString(CultureInfo.InvariantCulture)),
            new Markup(Markup.Escape(before)),
            new Markup(Markup.Escape(Quote(tokenizer, step.BaseTopTokenId))),
            new Markup(step.Changed ? $"[yellow]{chosen}[/] *" : chosen),
            new Markup(candidates.ToString().TrimEnd()));
    }

    private static string Quote(ITokenizer tokenizer, int id) => "'" + TokenText.Show(tokenizer, id) + "'";
}
