using System.CommandLine;
using System.Globalization;
using PadKernel.Evaluation.Reporting;
using PadKernel.Evaluation.Running;
using PadKernel.Evaluation.Suites;
using PadKernel.Models;
using Spectre.Console;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad eval</c>: adherence vs fluency of PAD across weights and k, against base and preference prompting.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var suite = new Option<string>("--suite") { Description = "Suite JSON file (prompts × preferences with judges), e.g. samples/suites/stories.json.", Required = true };
        var model = new Option<string?>("--model", "-m") { Description = "Model path or name (default: stories260K)." };
        var weights = new Option<string>("--weights") { Description = "PAD weights w, comma-separated.", DefaultValueFactory = _ => "0.5,1,2,4,8" };
        var topK = new Option<string>("--top-k", "-k") { Description = "PAD candidate counts k, comma-separated.", DefaultValueFactory = _ => "10,20" };
        var rewardModel = new Option<string?>("--reward-model") { Description = "A personalized reward model (same vocabulary): adds PAD reward-model methods." };
        var samples = new Option<int>("--samples") { Description = "Seeds per cell (needs --temperature > 0); the spread over seeds is reported.", DefaultValueFactory = _ => 1 };
        var temperature = new Option<float>("--temperature", "-t") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 0f };
        var seed = new Option<int>("--seed", "-s") { Description = "First seed; sample i uses seed + i.", DefaultValueFactory = _ => 1 };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Tokens per continuation.", DefaultValueFactory = _ => 64 };
        var prompts = new Option<int?>("--prompts") { Description = "Use only the suite's first N prompts." };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: results.jsonl (resumable), summary.md, summary.csv, plot.svg, report.html.", Required = true };
        var command = new Command("eval", "Measure how well PAD follows preferences (judges) against how fluent it stays (perplexity, repetition), per weight and k, against base and preference prompting. Rerun the same command to resume.")
        {
            suite, model, weights, topK, rewardModel, samples, temperature, seed, maxTokens, prompts, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            EvalSuite loadedSuite = EvalSuiteLoader.Load(parse.GetRequiredValue(suite));
            var options = new EvalOptions
            {
                Weights = ParseList(parse.GetValue(weights)!, "--weights", s => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)),
                TopKs = ParseList(parse.GetValue(topK)!, "--top-k", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                Samples = parse.GetValue(samples),
                Temperature = parse.GetValue(temperature),
                Seed = parse.GetValue(seed),
                MaxTokens = parse.GetValue(maxTokens),
                MaxPrompts = parse.GetValue(prompts),
            };
            options.Validate();
            string outDir = parse.GetRequiredValue(output);

            using ILanguageModel baseModel = context.Models.Load(parse.GetValue(model));
            string? rewardPath = parse.GetValue(rewardModel);
            using ILanguageModel? reward = rewardPath is null ? null : context.Models.Load(rewardPath);
            var runner = new EvalRunner(baseModel, loadedSuite, options, rewardModel: reward);
            using EvalResultStore store = EvalResultStore.Open(outDir, runner.Fingerprint);
            int resumed = store.Records.Count;

            bool interrupted = false;
            IReadOnlyList<EvalRecord> records = [];
            await context.Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progressContext =>
                {
                    ProgressTask task = progressContext.AddTask("eval", maxValue: runner.TotalCells);
                    var progress = new Progress(task);
                    try
                    {
                        // The run is CPU-bound and synchronous per cell: keep it off the caller's thread so the bar redraws.
                        records = await Task.Run(() => runner.RunAsync(store, progress, cancellationToken), CancellationToken.None);
                    }
                    catch (OperationCanceledException)
                    {
                        interrupted = true;
                    }
                });

            string sampling = options.Temperature == 0
                ? "greedy"
                : string.Create(CultureInfo.InvariantCulture, $"temperature {options.Temperature}, {options.Samples} seeds from {options.Seed}");
            string settings = string.Create(CultureInfo.InvariantCulture,
                $"{runner.PromptCount} prompts × {loadedSuite.Preferences.Count} preferences, max {options.MaxTokens} tokens, {sampling}");
            if (interrupted)
            {
                // Report what finished: only cells of the current grid, so the tables match the command.
                records = store.Records.Where(r => runner.Methods.Any(m => m.Key == r.Method) && r.Prompt < runner.PromptCount).ToArray();
                settings += $" — INTERRUPTED: {records.Count} of {runner.TotalCells} cells";
            }

            EvalSummary summary = EvalSummary.Create(records, loadedSuite.Name, baseModel.Info.ModelId, loadedSuite.Preferences.Select(p => p.Id).ToArray(), settings);
            context.Console.Write(ConsoleReport.CreateTable(summary));
            IReadOnlyList<string> files = EvalReport.WriteAll(summary, outDir, "pad " + string.Join(' ', parse.Tokens.Select(t => Quote(t.Value))));
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{records.Count} cells ({resumed} resumed from {Path.Combine(outDir, EvalResultStore.ResultsFileName)}); wrote {string.Join(", ", files.Select(Path.GetFileName))} to {outDir}"));
            if (interrupted)
            {
                await context.Error.WriteLineAsync("pad: interrupted; finished cells are kept — run the same command again to resume.");
                return 130;
            }

            return 0;
        });
        return command;
    }

    private static List<T> ParseList<T>(string text, string option, Func<string, T> parse)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{option} takes comma-separated numbers, for example 0.5,1,2 (got '{text}').");
        }
    }

    private static string Quote(string token) => token.Contains(' ', StringComparison.Ordinal) ? $"\"{token}\"" : token;

    private sealed class Progress(ProgressTask task) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value)
        {
            task.Value = value.Completed;
            task.Description = Markup.Escape(value.Current);
        }
    }
}
