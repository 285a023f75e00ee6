using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;
using Spectre.Console;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad bench</c>: plain vs PAD tokens/s (1 and 3 preferences) in one run, with per-position throughput.</summary>
internal static class BenchCommand
{
    private static readonly string[] BenchPreferences = ["A dog.", "The sea.", "Food."];

    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model", "-m") { Description = "Model path or name (default: stories260K)." };
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt to continue.", DefaultValueFactory = _ => "Once upon a time" };
        var tokens = new Option<int>("--tokens", "-n") { Description = "Tokens per run (capped by the context length).", DefaultValueFactory = _ => 500 }
            .Require(n => n >= 1, "must be at least 1");
        var runs = new Option<int>("--runs") { Description = "Timed runs per configuration; the median is reported.", DefaultValueFactory = _ => 5 }
            .Require(n => n >= 1, "must be at least 1");
        var command = new Command("bench", "Measure plain vs PAD decoding speed (greedy, end-of-sequence ignored so every run is the same length).")
        {
            model, prompt, tokens, runs,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            int runCount = parse.GetValue(runs);
            using ILanguageModel loaded = context.Models.Load(parse.GetValue(model));
            string text = parse.GetRequiredValue(prompt);
            var padConfigurations = new (string Name, int Preferences)[] { ("plain", 0), ("PAD, 1 preference", 1), ("PAD, 3 preferences", 3) };

            // Every configuration generates the same number of tokens: the longest reward context bounds it.
            DecodeRequest longest = Request(loaded, text, 3, int.MaxValue);
            int longestContext = longest.Rewards.Max(r => r.Context.Count);
            int tokenCount = Math.Min(parse.GetValue(tokens), loaded.Info.ContextLength - longestContext);

            var configurations = new List<(string Name, Func<BenchResult> Measure)>();
            foreach ((string name, int count) in padConfigurations)
            {
                configurations.Add((name, () => Measure(loaded, text, count, tokenCount, cancellationToken)));
            }

            // ONNX: GenAI's own greedy loop (GenerateNextToken alone) at batch 1, 2 and 4 is the anchor for plain
            // (one row per step) and PAD with 1 and 3 preferences (2 and 4 rows per step): once with copies of the
            // prompt, and once with PAD's own rows (base and reward contexts, of different lengths, right-padded).
            if (loaded is OnnxModel onnx)
            {
                IReadOnlyList<int> ids = Request(loaded, text, 0, tokenCount).Context;
                foreach (int rows in new[] { 1, 2, 4 })
                {
                    IReadOnlyList<int>[] copies = Enumerable.Repeat(ids, rows).ToArray();
                    configurations.Add(($"GenAI's own greedy loop, batch {rows}", () => MeasureNative(onnx, copies, tokenCount)));
                }

                foreach ((string name, int count) in padConfigurations.Where(c => c.Preferences > 0))
                {
                    DecodeRequest pad = Request(loaded, text, count, tokenCount);
                    IReadOnlyList<int>[] rows = [pad.Context, .. pad.Rewards.Select(r => r.Context)];
                    configurations.Add(($"GenAI's own greedy loop, the {rows.Length} rows of {name}", () => MeasureNative(onnx, rows, tokenCount)));
                }
            }

            // Runs rotate through the configurations, so that a busy machine slows all of them alike.
            var timed = configurations.Select(_ => new BenchResult[runCount]).ToArray();
            foreach ((_, Func<BenchResult> measure) in configurations)
            {
                measure(); // warm-up: JIT and tiering
            }

            for (int run = 0; run < runCount; run++)
            {
                for (int c = 0; c < configurations.Count; c++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    timed[c][run] = configurations[c].Measure();
                }
            }

            var results = configurations.Select((c, i) => (c.Name, Result: BenchResult.Median(timed[i]))).ToList();
            double plain = results[0].Result.TokensPerSecond;
            var table = new Table().AddColumns("decoding", "tokens/s", "vs plain", "tokens/s @ 0–100", "tokens/s @ last 100");
            foreach ((string name, BenchResult result) in results)
            {
                table.AddRow(
                    name,
                    F(result.TokensPerSecond),
                    (result.TokensPerSecond / plain).ToString("0.00x", CultureInfo.InvariantCulture),
                    F(result.EarlyTokensPerSecond),
                    F(result.LateTokensPerSecond));
            }

            context.Console.Write(table);
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model {loaded.Info.ModelId} ({loaded.Info.Runtime}{(loaded is OnnxModel threaded ? $", {threaded.IntraOpThreads} intra-op threads" : "")}), {tokenCount} tokens per run, median of {runCount} interleaved runs, prompt \"{text}\", preferences from: {string.Join(" | ", BenchPreferences)}"));
            return Task.FromResult(0);
        });
        return command;
    }

    private static string F(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static DecodeRequest Request(ILanguageModel model, string prompt, int preferences, int tokens) =>
        PadPrompts.CreateRawRequest(
            model,
            prompt,
            BenchPreferences.Take(preferences).Select(p => new Preference(p, 2f)).ToArray(),
            new GenerationOptions { MaxTokens = Math.Max(1, Math.Min(tokens, model.Info.ContextLength)), IgnoreEndOfSequence = true });

    private static BenchResult Measure(ILanguageModel model, string prompt, int preferences, int tokens, CancellationToken cancellationToken)
    {
        DecodeRequest request = Request(model, prompt, preferences, tokens);
        long[] stamps = new long[tokens + 1];
        int produced = 0;
        stamps[0] = Stopwatch.GetTimestamp();
        foreach (GenerationUpdate update in PadDecoder.Decode(request, cancellationToken))
        {
            if (update.TokenId >= 0)
            {
                stamps[++produced] = Stopwatch.GetTimestamp();
            }
        }

        // The first stamp follows the prefill, so every rate is steady-state decoding.
        return new BenchResult(
            Rate(stamps, 1, produced),
            Rate(stamps, 1, Math.Min(101, produced)),
            Rate(stamps, Math.Max(1, produced - 100), produced));
    }

    private static BenchResult MeasureNative(OnnxModel model, IReadOnlyList<IReadOnlyList<int>> prompts, int tokens)
    {
        long[] stamps = new long[tokens + 1];
        int produced = 0;
        stamps[0] = Stopwatch.GetTimestamp();
        GenAIGreedyLoop.Generate(model, prompts, tokens, ignoreEndOfSequence: true, onToken: _ => stamps[++produced] = Stopwatch.GetTimestamp());
        return new BenchResult(
            Rate(stamps, 1, produced),
            Rate(stamps, 1, Math.Min(101, produced)),
            Rate(stamps, Math.Max(1, produced - 100), produced));
    }

    private static double Rate(long[] stamps, int from, int to) =>
        to <= from ? 0 : (to - from) / Stopwatch.GetElapsedTime(stamps[from], stamps[to]).TotalSeconds;

    private readonly record struct BenchResult(double TokensPerSecond, double EarlyTokensPerSecond, double LateTokensPerSecond)
    {
        public static BenchResult Median(BenchResult[] runs)
        {
            static double M(IEnumerable<double> values)
            {
                double[] sorted = values.Order().ToArray();
                return sorted[sorted.Length / 2];
            }

            return new BenchResult(M(runs.Select(r => r.TokensPerSecond)), M(runs.Select(r => r.EarlyTokensPerSecond)), M(runs.Select(r => r.LateTokensPerSecond)));
        }
    }
}
