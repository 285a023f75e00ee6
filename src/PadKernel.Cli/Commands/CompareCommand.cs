using System.CommandLine;
using PadKernel.Alignment;
using PadKernel.Cli.Output;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Text;
using Spectre.Console;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad compare</c>: the same prompt without and with the preference(s), side by side, differing tokens highlighted.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var arguments = new GenerationArguments();
        var command = new Command("compare", "Show the text without and with the preference(s) side by side; tokens that differ are highlighted.");
        arguments.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            IReadOnlyList<Preference> preferences = arguments.Preferences(parse);
            if (preferences.Count == 0)
            {
                throw new ArgumentException("compare needs at least one --preference.");
            }

            (ILanguageModel model, ILanguageModel? rewardModel) = arguments.LoadModels(parse, context);
            using (model)
            using (rewardModel)
            {
                DecodeRequest plainRequest = arguments.Request(parse, model, rewardModel, [], includeTrace: false);
                DecodeRequest padRequest = arguments.Request(parse, model, rewardModel, preferences, includeTrace: false);
                GenerationResult plain = PadDecoder.Generate(plainRequest, cancellationToken);
                GenerationResult steered = PadDecoder.Generate(padRequest, cancellationToken);

                (bool[] plainKept, bool[] steeredKept) = CommonSubsequence.Mark(plain.TokenIds, steered.TokenIds);

                // Two columns of a rounded table take 7 characters of borders and padding; the text is wrapped here, at
                // word boundaries, so the table never breaks a word.
                int width = Math.Max(20, (context.Console.Profile.Width - 7) / 2);
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn(new TableColumn("without preference") { Width = width })
                    .AddColumn(new TableColumn(Markup.Escape("with " + GenerationArguments.Describe(preferences))) { Width = width });
                string prompt = arguments.Prompt(parse);
                table.AddRow(
                    new Markup(Highlight(model.Tokenizer, prompt, plainRequest.Context[^1], plain.TokenIds, plainKept, width)),
                    new Markup(Highlight(model.Tokenizer, prompt, padRequest.Context[^1], steered.TokenIds, steeredKept, width)));
                context.Console.Write(table);
                int differing = steeredKept.Count(k => !k);
                context.Console.MarkupLine($"[black on yellow]highlighted[/]: words with tokens not shared with the other text ({differing} of {steered.TokenIds.Count} steered tokens).");
                return Task.FromResult(0);
            }
        });
        return command;
    }

    private static string Highlight(ITokenizer tokenizer, string prompt, int previousToken, IReadOnlyList<int> ids, bool[] kept, int width)
    {
        // Each text reads from the prompt's end (the last 200 characters of a long prompt).
        var decoder = new StreamingTextDecoder(tokenizer, previousToken);
        var pieces = new List<string>(ids.Count + 2) { prompt.Length > 200 ? "…" + prompt[^199..] : prompt };
        var changed = new List<bool>(ids.Count + 2) { false };
        for (int i = 0; i < ids.Count; i++)
        {
            pieces.Add(decoder.Append(ids[i]).ToString());
            changed.Add(!kept[i]);
        }

        pieces.Add(decoder.Flush().ToString());
        changed.Add(false);
        return string.Join('\n', WordHighlighter.Lines(pieces, changed, width));
    }
}
