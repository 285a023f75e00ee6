using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.AI;
using PadKernel.Evaluation.Judges;
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
        var rewardModel = new Option<string?>("--reward-model") { Description = "A personalized reward model (for stories260K: models/stories260K-persrm): adds PAD reward-model methods." };
        var fluencyModel = new Option<string?>("--fluency-model") { Description = "A second model whose perplexity of each continuation is reported beside the base model's, and used to match fluency when choosing w." };
        var devPrompts = new Option<int?>("--dev-prompts") { Description = "The first N prompts choose PAD's w; the held-out comparison reports on the rest." }
            .Require(n => n is null or >= 1, "must be at least 1");
        var judgeEndpoint = new Option<string?>("--judge-endpoint") { Description = "An OpenAI-compatible API base address (e.g. http://127.0.0.1:8080/v1): adds an LLM judge to every preference." };
        var judgeModel = new Option<string?>("--judge-model") { Description = "The model the judge endpoint serves (required with --judge-endpoint)." };
        var judgeKey = new Option<string?>("--judge-api-key") { Description = "The judge endpoint's API key (default: $OPENAI_API_KEY, else none)." };
        var allowCopying = new Option<bool>("--allow-copying") { Description = "Keep the judges' score for continuations that copy the preference or write meta-text (default: such text scores 0)." };
        var noMatched = new Option<bool>("--no-matched-prompting") { Description = "Leave out prompting sampled from PAD's top-k (the matched control)." };
        var samples = new Option<int>("--samples") { Description = "Seeds per cell (needs --temperature > 0); the spread over seeds is reported.", DefaultValueFactory = _ => 1 }
            .Require(n => n >= 1, "must be at least 1");
        var temperature = new Option<float>("--temperature", "-t") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 0f }
            .Require(t => float.IsFinite(t) && t >= 0, "must be a number ≥ 0 (0 is greedy)");
        var seed = new Option<int>("--seed", "-s") { Description = "First seed; sample i uses seed + i.", DefaultValueFactory = _ => 1 };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Tokens per continuation.", DefaultValueFactory = _ => 64 }
            .Require(n => n >= 1, "must be at least 1");
        var prompts = new Option<int?>("--prompts") { Description = "Use only the suite's first N prompts." }
            .Require(n => n is null or >= 1, "must be at least 1");
        var output = new Option<string>("--out", "-o") { Description = "Output folder: results.jsonl (resumable), summary.md, summary.csv, plot.svg, report.html.", Required = true };
        var command = new Command("eval", "Measure how well PAD follows preferences (judges) against how fluent it stays (perplexity, repetition), per weight and k, against base and preference prompting. Rerun the same command to resume.")
        {
            suite, model, weights, topK, rewardModel, fluencyModel, samples, temperature, seed, maxTokens, prompts, devPrompts,
            judgeEndpoint, judgeModel, judgeKey, allowCopying, noMatched, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            EvalSuite loadedSuite = EvalSuiteLoader.Load(parse.GetRequiredValue(suite));
            var options = new EvalOptions
            {
                Weights = ParseList(parse.GetValue(weights)!, "--weights", s => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture), w => float.IsFinite(w) && w >= 0, "numbers ≥ 0, for example 0.5,1,2"),
                TopKs = ParseList(parse.GetValue(topK)!, "--top-k", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), k => k >= 1, "whole numbers ≥ 1, for example 10,20"),
                Samples = parse.GetValue(samples),
                Temperature = parse.GetValue(temperature),
                Seed = parse.GetValue(seed),
                MaxTokens = parse.GetValue(maxTokens),
                MaxPrompts = parse.GetValue(prompts),
                DevPrompts = parse.GetValue(devPrompts),
                PenalizeCopying = !parse.GetValue(allowCopying),
                MatchedPrompting = !parse.GetValue(noMatched),
            };
            options.Validate();
            string outDir = parse.GetRequiredValue(output);

            using ILanguageModel baseModel = context.Models.Load(parse.GetValue(model));
            string? rewardPath = parse.GetValue(rewardModel);
            using ILanguageModel? reward = rewardPath is null ? null : context.Models.Load(rewardPath);
            string? fluencyPath = parse.GetValue(fluencyModel);
            using ILanguageModel? fluency = fluencyPath is null ? null : context.Models.Load(fluencyPath);
            using IChatClient? judgeClient = CreateJudgeClient(parse.GetValue(judgeEndpoint), parse.GetValue(judgeModel), parse.GetValue(judgeKey));
            var runner = new EvalRunner(baseModel, loadedSuite, options, new JudgeFactory(judgeClient, gradeEveryPreference: judgeClient is not null), reward, fluency);
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
            string commandLine = "pad " + string.Join(' ', parse.Tokens.Select(t => Quote(t.Value)));
            string? comparison = records.Count > 0 ? HeldOutComparison.Create(records, runner.PromptCount, options.DevPrompts, options.Seed).ToMarkdown() : null;
            IReadOnlyList<EvalExample> examples = EvalExample.Pick(records, loadedSuite, options.DevPrompts ?? 0, count: 3);
            IReadOnlyList<string> files = EvalReport.WriteAll(summary, outDir, commandLine, comparison, examples);
            if (comparison is not null)
            {
                string comparisonFile = Path.Combine(outDir, EvalReport.ComparisonFileName);
                await File.WriteAllTextAsync(comparisonFile, $"`{commandLine}`\n\n{settings}\n\n{comparison}", cancellationToken);
                context.Console.WriteLine(comparison);
                files = [.. files, comparisonFile];
            }

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

    private static List<T> ParseList<T>(string text, string option, Func<string, T> parse, Func<T, bool> valid, string rule)
    {
        List<T> values;
        try
        {
            values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            values = [];
        }

        return values.Count > 0 && values.All(valid)
            ? values
            : throw new ArgumentException($"{option} takes comma-separated {rule} (got '{text}').");
    }

    private static IChatClient? CreateJudgeClient(string? endpoint, string? model, string? apiKey)
    {
        if (endpoint is null)
        {
            return model is null ? null : throw new ArgumentException("--judge-model needs --judge-endpoint.");
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--judge-endpoint takes an http(s) address such as http://127.0.0.1:8080/v1 (got '{endpoint}').");
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("--judge-endpoint needs --judge-model NAME, the model the endpoint serves.");
        }

        return OpenAIJudgeClient.Create(uri, model, apiKey ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
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
