using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Evaluation.Judges;
using PadKernel.Evaluation.Metrics;
using PadKernel.Evaluation.Suites;
using PadKernel.Models;

namespace PadKernel.Evaluation.Running;

/// <summary>
/// Runs a suite's prompts × preferences through every method of the grid (base, preference prompting, PAD
/// self-contrast over w × k, PAD with a reward model when one is given), scoring each continuation for adherence
/// (judges), fluency (perplexity under the base model without the preference, repetition) and cost.
/// </summary>
public sealed class EvalRunner
{
    private readonly ILanguageModel _model;
    private readonly ILanguageModel? _rewardModel;
    private readonly ILanguageModel? _fluencyModel;
    private readonly EvalSuite _suite;
    private readonly EvalOptions _options;
    private readonly IJudge[][] _judges;
    private readonly string? _grader;

    /// <summary>Initializes a new instance of the <see cref="EvalRunner"/> class.</summary>
    /// <param name="model">The base model (any runtime).</param>
    /// <param name="suite">The suite.</param>
    /// <param name="options">The grid and generation settings.</param>
    /// <param name="judges">Creates the suite's judges; the default handles lexicon and length judges.</param>
    /// <param name="rewardModel">A personalized reward model; adds the PAD reward-model methods.</param>
    /// <param name="fluencyModel">
    /// A second model whose perplexity of each continuation (reading the bare prompt) is recorded beside the base
    /// model's, so fluency is not measured only as closeness to the base model; any tokenizer.
    /// </param>
    /// <exception cref="EvalSuiteException">The suite is invalid or needs a judge the factory cannot make.</exception>
    public EvalRunner(ILanguageModel model, EvalSuite suite, EvalOptions? options = null, JudgeFactory? judges = null, ILanguageModel? rewardModel = null, ILanguageModel? fluencyModel = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(suite);
        suite.Validate();
        _options = options ?? new EvalOptions();
        _options.Validate();
        _model = model;
        _rewardModel = rewardModel;
        _fluencyModel = fluencyModel;
        _suite = suite;
        judges ??= new JudgeFactory();
        _grader = judges.Grader;
        _judges = suite.Preferences
            .Select(p => p.Judges.Select(spec => judges.Create(spec, p.Id)).Concat(judges.GradesEveryPreference ? [judges.CreateGrader(p.Id)] : []).ToArray())
            .ToArray();

        var methods = new List<EvalMethod> { new(EvalMethodKind.Base), new(EvalMethodKind.Prompting) };
        if (_options.MatchedPrompting)
        {
            methods.AddRange(_options.TopKs.Distinct().Select(k => new EvalMethod(EvalMethodKind.PromptingTopK, 0, k)));
        }

        foreach (int k in _options.TopKs.Distinct())
        {
            methods.AddRange(_options.Weights.Distinct().Select(w => new EvalMethod(EvalMethodKind.PadSelfContrast, w, k)));
        }

        if (rewardModel is not null)
        {
            foreach (int k in _options.TopKs.Distinct())
            {
                methods.AddRange(_options.Weights.Distinct().Select(w => new EvalMethod(EvalMethodKind.PadRewardModel, w, k)));
            }
        }

        Methods = methods;
        PromptCount = Math.Min(_options.MaxPrompts ?? int.MaxValue, suite.Prompts.Count);
        if (_options.DevPrompts >= PromptCount)
        {
            throw new ArgumentException($"--dev-prompts {_options.DevPrompts} leaves no test prompt out of {PromptCount}.", nameof(options));
        }
    }

    /// <summary>Gets the methods of the grid, baselines first.</summary>
    public IReadOnlyList<EvalMethod> Methods { get; }

    /// <summary>Gets the number of prompts used.</summary>
    public int PromptCount { get; }

    /// <summary>Gets the number of cells: methods × prompts × preferences × samples.</summary>
    public int TotalCells => Methods.Count * PromptCount * _suite.Preferences.Count * _options.Samples;

    /// <summary>Gets the suite.</summary>
    public EvalSuite Suite => _suite;

    /// <summary>Gets the options.</summary>
    public EvalOptions Options => _options;

    /// <summary>Gets the settings every cell depends on, for <see cref="EvalResultStore.Open"/>.</summary>
    public EvalFingerprint Fingerprint
    {
        get
        {
            string suiteJson = JsonSerializer.Serialize(new { _suite.Prompts, _suite.Preferences }, EvalResultStore.JsonOptions);
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(suiteJson)))[..16];
            return new EvalFingerprint(
                _model.Info.ModelId, _rewardModel?.Info.ModelId, _suite.Name, hash, _options.MaxTokens, _options.Temperature, _options.Seed, _fluencyModel?.Info.ModelId, _options.PenalizeCopying, _grader);
        }
    }

    /// <summary>Builds the key that identifies a cell in a results file.</summary>
    public static string CellKey(string method, int prompt, string preference, int sample) =>
        string.Create(CultureInfo.InvariantCulture, $"{method}|{prompt}|{preference}|{sample}");

    /// <summary>
    /// Runs every cell not yet in <paramref name="store"/>, adding each record to it as it finishes, and returns the
    /// records of this grid (resumed ones included). Cancellation stops between two cells' tokens and throws
    /// <see cref="OperationCanceledException"/>; what finished stays in the store.
    /// </summary>
    public async Task<IReadOnlyList<EvalRecord>> RunAsync(EvalResultStore? store = null, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<EvalRecord>(TotalCells);
        bool warm = false;
        var baseCache = new Dictionary<(int Prompt, int Sample), Generation>();
        int total = TotalCells;
        for (int sample = 0; sample < _options.Samples; sample++)
        {
            for (int p = 0; p < PromptCount; p++)
            {
                string prompt = _suite.Prompts[p];
                List<int> promptIds = PadPrompts.Encode(_model, prompt);
                for (int f = 0; f < _suite.Preferences.Count; f++)
                {
                    SuitePreference preference = _suite.Preferences[f];
                    foreach (EvalMethod method in Methods)
                    {
                        string key = CellKey(method.Key, p, preference.Id, sample);
                        EvalRecord? record = store?.Find(key);
                        if (record is null)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            if (!warm)
                            {
                                WarmUp(prompt, preference.Text, cancellationToken);
                                warm = true;
                            }

                            Generation generation;
                            if (method.Kind == EvalMethodKind.Base)
                            {
                                // The base continuation does not depend on the preference: generate it once per prompt and seed.
                                if (!baseCache.TryGetValue((p, sample), out generation!))
                                {
                                    generation = Generate(method, prompt, preference, sample, promptIds, cancellationToken);
                                    baseCache[(p, sample)] = generation;
                                }
                            }
                            else
                            {
                                generation = Generate(method, prompt, preference, sample, promptIds, cancellationToken);
                            }

                            record = await ScoreAsync(method, p, f, sample, generation, cancellationToken).ConfigureAwait(false);
                            store?.Add(record);
                        }

                        results.Add(record);
                        progress?.Report(new EvalProgress(results.Count, total, $"{method.Key} · {preference.Id} · prompt {p + 1}"));
                    }
                }
            }
        }

        return results;
    }

    /// <summary>Builds the decode request of a method for one prompt and preference.</summary>
    public DecodeRequest CreateRequest(EvalMethod method, string prompt, string preference, int sample) =>
        CreateRequest(_model, _rewardModel, method, prompt, preference, CreateGenerationOptions(method, sample));

    private static DecodeRequest CreateRequest(ILanguageModel model, ILanguageModel? rewardModel, EvalMethod method, string prompt, string preference, GenerationOptions options) =>
        method.Kind switch
        {
            EvalMethodKind.Base => PadPrompts.CreateRawRequest(model, prompt, [], options),

            // The preference goes in front of the prompt exactly as in PAD's self-contrast reward context, so the
            // baseline and PAD see the same preference text and differ only in how it is used.
            EvalMethodKind.Prompting or EvalMethodKind.PromptingTopK => new DecodeRequest
            {
                Model = model,
                Context = PadPrompts.Encode(model, PadPrompts.SelfContrastText(preference, prompt)),
                Options = options,
            },
            EvalMethodKind.PadSelfContrast => PadPrompts.CreateRawRequest(model, prompt, [new Preference(preference, method.Weight)], options),
            _ => PadPrompts.CreateRawRequest(model, prompt, [new Preference(preference, method.Weight)], options, RewardMode.RewardModel,
                rewardModel ?? throw new InvalidOperationException("The reward-model method needs a reward model.")),
        };

    private GenerationOptions CreateGenerationOptions(EvalMethod method, int sample) => new()
    {
        MaxTokens = _options.MaxTokens,
        Temperature = _options.Temperature,
        Seed = _options.Seed + sample,
        TopK = method.Kind == EvalMethodKind.PromptingTopK ? method.TopK : 0,
        PadTopK = method.IsPad ? method.TopK : 10,
    };

    /// <summary>Runs every method briefly once so JIT compilation and tiering do not land in the first cells' timings.</summary>
    private void WarmUp(string prompt, string preference, CancellationToken cancellationToken)
    {
        foreach (EvalMethod method in Methods.DistinctBy(m => m.Kind))
        {
            for (int i = 0; i < 3; i++)
            {
                GenerationOptions options = CreateGenerationOptions(method, 0);
                options.MaxTokens = Math.Min(options.MaxTokens, 16);
                PadDecoder.Generate(CreateRequest(_model, _rewardModel, method, prompt, preference, options), cancellationToken);
            }
        }
    }

    private Generation Generate(EvalMethod method, string prompt, SuitePreference preference, int sample, List<int> promptIds, CancellationToken cancellationToken)
    {
        var counter = new ForwardCounter();
        var model = new CountingLanguageModel(_model, counter);
        CountingLanguageModel? rewardModel = _rewardModel is null ? null : new CountingLanguageModel(_rewardModel, counter);
        DecodeRequest request = CreateRequest(model, rewardModel, method, prompt, preference.Text, CreateGenerationOptions(method, sample));
        long start = Stopwatch.GetTimestamp();
        GenerationResult result = PadDecoder.Generate(request, cancellationToken);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        // Fluency is always judged by the base model reading the bare prompt, whatever context generated the text.
        LikelihoodResult likelihood = Perplexity.Score(_model, promptIds, result.TokenIds);
        LikelihoodResult? fluency = _fluencyModel is null ? null : ScoreFluency(_fluencyModel, prompt, promptIds, result);
        return new Generation(prompt, result, seconds, counter.Calls, counter.Positions, likelihood, fluency);
    }

    private async Task<EvalRecord> ScoreAsync(EvalMethod method, int prompt, int preferenceIndex, int sample, Generation generation, CancellationToken cancellationToken)
    {
        SuitePreference preference = _suite.Preferences[preferenceIndex];
        var input = new JudgeInput(generation.Prompt, preference.Text, generation.Result.Text, generation.Result.TokenIds.Count);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (IJudge judge in _judges[preferenceIndex])
        {
            JudgeScore score = await judge.ScoreAsync(input, cancellationToken).ConfigureAwait(false);
            scores[judge.Name] = score.Score;
            foreach (KeyValuePair<string, double> metric in score.Metrics)
            {
                metrics[judge.Name + "." + metric.Key] = metric.Value;
            }
        }

        Repetition repetition = Repetition.Measure(generation.Result.Text);
        int copies = CopyDetector.Count(generation.Result.Text, preference.Text);
        return new EvalRecord
        {
            Method = method.Key,
            Kind = method.Kind,
            Weight = method.Weight,
            TopK = method.TopK,
            Prompt = prompt,
            Preference = preference.Id,
            Sample = sample,
            Text = generation.Result.Text,
            Tokens = generation.Result.TokenIds.Count,
            Seconds = generation.Seconds,
            ForwardCalls = generation.ForwardCalls,
            Positions = generation.Positions,
            Nll = generation.Likelihood.NegativeLogLikelihood,
            NllTokens = generation.Likelihood.Tokens,
            Adherence = _options.PenalizeCopying && copies > 0 ? 0 : scores.Values.Average(),
            Copies = copies,
            FluencyNll = generation.Fluency?.NegativeLogLikelihood,
            FluencyTokens = generation.Fluency?.Tokens ?? 0,
            Judges = scores,
            JudgeMetrics = metrics,
            Distinct1 = repetition.Distinct1,
            Distinct2 = repetition.Distinct2,
            LongestRepeat = repetition.LongestRepeat,
        };
    }

    // A model with the base model's tokenizer scores the generated ids; another tokenizer re-encodes the text.
    private LikelihoodResult ScoreFluency(ILanguageModel fluencyModel, string prompt, List<int> promptIds, GenerationResult result)
    {
        if (TokenMapping.SharesVocabulary(fluencyModel, _model))
        {
            return Perplexity.Score(fluencyModel, promptIds, result.TokenIds);
        }

        var continuation = new List<int>();
        fluencyModel.Tokenizer.Encode(result.Text, continuation, atStartOfText: false);
        return Perplexity.Score(fluencyModel, PadPrompts.Encode(fluencyModel, prompt), continuation);
    }

    private sealed record Generation(string Prompt, GenerationResult Result, double Seconds, long ForwardCalls, long Positions, LikelihoodResult Likelihood, LikelihoodResult? Fluency);
}
