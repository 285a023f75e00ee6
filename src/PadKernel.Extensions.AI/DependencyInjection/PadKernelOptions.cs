using PadKernel.Models;

namespace PadKernel.Extensions.AI;

/// <summary>
/// What <c>AddPadKernel</c> registers, bound from code or from the configuration section <c>PadKernel</c>:
/// <code>
/// "PadKernel": {
///   "DefaultModel": "stories",
///   "Models": { "stories": { "Path": "models/stories260K", "ChatTemplate": "raw", "MaxOutputTokens": 128 } },
///   "PreferencesDatabase": "prefs.db"
/// }
/// </code>
/// </summary>
public sealed class PadKernelOptions
{
    /// <summary>The configuration section <c>AddPadKernel(IConfiguration)</c> reads.</summary>
    public const string SectionName = "PadKernel";

    /// <summary>Gets or sets the path of a single model, registered under the name <c>default</c> (a shortcut for one <see cref="Models"/> entry).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets the name of the model that unkeyed <c>IChatClient</c>/<c>ILanguageModel</c> resolve to; the only or first model by default.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Gets the models by name (names compare case-insensitively); each is loaded once, on first use, and shared.</summary>
    public Dictionary<string, PadModelOptions> Models { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the SQLite database file <c>UseSqlitePreferences()</c> opens when it is given no path.</summary>
    public string? PreferencesDatabase { get; set; }

    /// <summary>Adds a model loaded from a path with the registered loaders.</summary>
    public PadKernelOptions AddModel(string name, string path, Action<PadModelOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var model = new PadModelOptions { Path = path };
        configure?.Invoke(model);
        Models[name] = model;
        return this;
    }

    /// <summary>Adds a model created by a factory (for a runtime without a loader, or an already loaded model).</summary>
    public PadKernelOptions AddModel(string name, Func<IServiceProvider, ILanguageModel> factory, Action<PadModelOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        var model = new PadModelOptions { Factory = factory };
        configure?.Invoke(model);
        Models[name] = model;
        return this;
    }
}

/// <summary>One model of <see cref="PadKernelOptions.Models"/> and the defaults of its chat client.</summary>
public sealed class PadModelOptions
{
    /// <summary>Gets or sets the model's file or folder, given to the first <see cref="IModelLoader"/> that can load it.</summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets a factory that creates the model instead of a loader.</summary>
    public Func<IServiceProvider, ILanguageModel>? Factory { get; set; }

    /// <summary>Gets or sets the chat template name (<c>raw</c>, <c>chatml</c>, <c>llama2</c>, <c>mistral</c>, <c>llama3</c>, <c>phi3</c>, <c>zephyr</c>); chosen from the model when null.</summary>
    public string? ChatTemplate { get; set; }

    /// <summary>Gets or sets the name of another model in <see cref="PadKernelOptions.Models"/> used as this model's personalized reward model.</summary>
    public string? RewardModel { get; set; }

    /// <summary>Gets or sets the reward source of requests that do not say: <c>self</c> (default) or <c>reward_model</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>Gets or sets the weight of request preferences given without one. Default 1.</summary>
    public float DefaultWeight { get; set; } = 1f;

    /// <summary>Gets or sets PAD's candidate-set size K. Default 10.</summary>
    public int PadTopK { get; set; } = 10;

    /// <summary>Gets or sets the default token limit. Default 256.</summary>
    public int MaxOutputTokens { get; set; } = 256;

    /// <summary>Gets or sets the default temperature. Default 0 (greedy).</summary>
    public float Temperature { get; set; }

    /// <summary>Gets or sets the repetition penalty. Default 1 (off).</summary>
    public float RepetitionPenalty { get; set; } = 1f;

    /// <summary>Gets or sets a value indicating whether requests offering tools with <c>ToolMode</c> auto are refused (see <see cref="PadChatClientOptions.StrictToolSupport"/>). Default false.</summary>
    public bool StrictToolSupport { get; set; }
}
