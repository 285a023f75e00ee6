using System.Globalization;
using System.Text;
using PadKernel.Alignment;
using PadKernel.Text;
using Spectre.Console;

namespace PadKernel.Cli.Output;

/// <summary>Renders a PAD trace: one row per step, changed steps highlighted, every candidate with l_b / r / s.</summary>
internal static class TraceTable
{
    public static void Write(IAnsiConsole console, ITokenizer tokenizer, IReadOnlyList<PadStep> steps, IReadOnlyList<Preference> preferences)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("step")
            .AddColumn("base top")
            .AddColumn("chosen")
            .AddColumn("candidates: token  base logit  reward(s)  score");
        foreach (PadStep step in steps)
        {
            string chosen = Markup.Escape(Quote(tokenizer, step.ChosenTokenId));
            var candidates = new StringBuilder();
            foreach (PadCandidate candidate in step.Candidates)
            {
                string rewards = string.Join("/", candidate.Rewards.Select(r => r.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)));
                string line = string.Create(CultureInfo.InvariantCulture, $"{Quote(tokenizer, candidate.TokenId),-12} {candidate.BaseLogit,7:0.00}  {rewards,-12} {candidate.Score,7:0.00}");
                candidates.AppendLine(candidate.TokenId == step.ChosenTokenId ? $"[bold]{Markup.Escape(line)}[/]" : Markup.Escape(line));
            }

            table.AddRow(
                new Markup(step.Index.ToString(CultureInfo.InvariantCulture)),
                new Markup(Markup.Escape(Quote(tokenizer, step.BaseTopTokenId))),
                new Markup(step.Changed ? $"[yellow]{chosen}[/] *" : chosen),
                new Markup(candidates.ToString().TrimEnd()));
        }

        console.Write(table);
        int changed = steps.Count(s => s.Changed);
        string rewardNames = preferences.Count == 0 ? "no preference" : string.Join(", ", preferences.Select(p => $"\"{p.Text}\""));
        console.WriteLine($"{changed} of {steps.Count} tokens changed by the reward ({rewardNames}); * marks them.");
    }

    private static string Quote(ITokenizer tokenizer, int id) => "'" + TokenText.Show(tokenizer, id) + "'";
}
