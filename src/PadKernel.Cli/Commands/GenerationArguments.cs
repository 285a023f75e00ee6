using System.CommandLine;
using System.Globalization;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Preferences;

namespace PadKernel.Cli.Commands;

/// <summary>The options shared by <c>generate</c> and <c>compare</c>: model, prompt, preferences and generation controls.</summary>
internal sealed class GenerationArguments
{
    private readonly Option<string?> _model = new("--model", "-m") { Description = "Model path or name, looked up in PADKERNEL_MODELS, the download cache, then the bundled models (default: stories260K, bundled)." };
    private const int MaxPromptFileChars = 16 << 20;

    private readonly Option<string?> _prompt = new("--prompt", "-p") { Description = "The text to continue (or use --prompt-file)." };
    private readonly Option<string?> _promptFile = new("--prompt-file") { Description = "Read the text to continue from this UTF-8 file, or from standard input with '-' (for long prompts); a trailing line break is dropped." };
    private string? _readPrompt;
    private readonly Option<string[]> _preferences = new("--preference") { Description = "A preference to steer toward; repeat for several.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<float[]> _weights = new Option<float[]>("--weight", "-w") { Description = "Weight w of the preferences: one for all, or one per --preference (default 1)." }
        .RequireEach(OptionRules.Finite, "must be a finite number");

    private readonly Option<int> _padTopK = new Option<int>("--top-k", "-k") { Description = "PAD's candidate set K: how many top base tokens the reward re-scores.", DefaultValueFactory = _ => 10 }
        .Require(k => k >= 1, "must be at least 1");

    private readonly Option<string?> _rewardModel = new("--reward-model") { Description = "A personalized reward model, by name (stories260K-persrm, bundled) or path; another tokenizer is mapped through token text. Both contexts then carry the preference." };
    private readonly Option<float> _temperature = new Option<float>("--temperature", "-t") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 0f }
        .Require(t => float.IsFinite(t) && t >= 0, "must be a number ≥ 0 (0 is greedy)");

    private readonly Option<float> _topP = new Option<float>("--top-p") { Description = "Nucleus sampling mass.", DefaultValueFactory = _ => 1f }
        .Require(p => p is > 0f and <= 1f, "must be in (0, 1]");

    private readonly Option<float> _repetitionPenalty = new Option<float>("--repetition-penalty") { Description = "Penalty for tokens already in the context (1 = off).", DefaultValueFactory = _ => 1f }
        .Require(p => float.IsFinite(p) && p > 0, "must be a number > 0 (1 is off)");

    private readonly Option<int?> _seed = new("--seed", "-s") { Description = "Random seed for sampling." };
    private readonly Option<int> _maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Maximum tokens to generate.", DefaultValueFactory = _ => 200 }
        .Require(n => n >= 1, "must be at least 1");

    private readonly Option<string[]> _stop = new("--stop") { Description = "Stop when this text appears (not included in the output); repeatable." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _model, _prompt, _promptFile, _preferences, _weights, _padTopK, _rewardModel, _temperature, _topP, _repetitionPenalty, _seed, _maxTokens, _stop })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Gets the prompt from --prompt or --prompt-file (exactly one); a file or stdin is read once.</summary>
    public string Prompt(ParseResult parse)
    {
        string? text = parse.GetValue(_prompt);
        string? file = parse.GetValue(_promptFile);
        if ((text is null) == (file is null))
        {
            throw new ArgumentException("Give the prompt with exactly one of --prompt TEXT or --prompt-file PATH ('-' reads standard input).");
        }

        // A file or a pipe ends with a line break the user did not mean as part of the prompt (as $(cat file) drops it).
        return text ?? (_readPrompt ??= ReadPromptFile(file!).TrimEnd('\r', '\n'));
    }

    // Bounded: a path to a device or a huge file must end in a clear error, not an out-of-memory abort.
    private static string ReadPromptFile(string path)
    {
        if (path == "-")
        {
            return ReadBounded(Console.In, "standard input");
        }

        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        return ReadBounded(reader, path);
    }

    private static string ReadBounded(TextReader reader, string source)
    {
        var text = new System.Text.StringBuilder();
        char[] chunk = new char[81920];
        int read;
        while ((read = reader.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (text.Length + read > MaxPromptFileChars)
            {
                throw new ArgumentException($"--prompt-file {source}: the prompt is longer than {MaxPromptFileChars} characters.");
            }

            text.Append(chunk, 0, read);
        }

        return text.ToString();
    }

    public IReadOnlyList<Preference> Preferences(ParseResult parse)
    {
        string[] texts = parse.GetValue(_preferences) ?? [];
        float[] weights = parse.GetValue(_weights) ?? [];
        if (weights.Length > 0 && texts.Length == 0)
        {
            throw new ArgumentException("--weight weighs a preference, and none was given: add --preference \"…\" (without one, pad decodes plainly).");
        }

        if (weights.Length > 1 && weights.Length != texts.Length)
        {
            throw new ArgumentException($"{Count(weights.Length, "--weight")} for {Count(texts.Length, "--preference")}: give one --weight for all preferences, or one per --preference.");
        }

        var preferences = new Preference[texts.Length];
        for (int i = 0; i < texts.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i]))
            {
                throw new ArgumentException("--preference needs non-empty text.");
            }

            PreferenceText.ValidateCharacters(texts[i], "--preference", allowLineBreaks: true);
            preferences[i] = new Preference(texts[i], weights.Length == 0 ? 1f : weights[Math.Min(i, weights.Length - 1)]);
        }

        return preferences;
    }

    public GenerationOptions Options(ParseResult parse, bool includeTrace) => new()
    {
        MaxTokens = parse.GetValue(_maxTokens),
        Temperature = parse.GetValue(_temperature),
        TopP = parse.GetValue(_topP),
        RepetitionPenalty = parse.GetValue(_repetitionPenalty),
        Seed = parse.GetValue(_seed),
        PadTopK = parse.GetValue(_padTopK),
        StopSequences = parse.GetValue(_stop) ?? [],
        IncludeTrace = includeTrace,
    };

    /// <summary>Loads the base model and, when given, the reward model; the caller disposes both.</summary>
    public (ILanguageModel Model, ILanguageModel? RewardModel) LoadModels(ParseResult parse, CliContext context)
    {
        ILanguageModel model = context.Models.Load(parse.GetValue(_model), "--model");
        string? rewardPath = parse.GetValue(_rewardModel);
        if (rewardPath is null)
        {
            return (model, null);
        }

        try
        {
            return (model, context.Models.Load(rewardPath, "--reward-model"));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Builds the decode request: self-contrast unless a reward model was given.</summary>
    public DecodeRequest Request(ParseResult parse, ILanguageModel model, ILanguageModel? rewardModel, IReadOnlyList<Preference> preferences, bool includeTrace) =>
        PadPrompts.CreateRawRequest(
            model,
            Prompt(parse),
            preferences,
            Options(parse, includeTrace),
            rewardModel is null ? RewardMode.SelfContrast : RewardMode.RewardModel,
            rewardModel);

    private static string Count(int count, string option) => count == 1 ? $"1 {option} value" : $"{count} {option} values";

    public static string Describe(IReadOnlyList<Preference> preferences) =>
        string.Join("; ", preferences.Select(p => $"\"{p.Text}\" (w={p.Weight.ToString(CultureInfo.InvariantCulture)})"));
}
