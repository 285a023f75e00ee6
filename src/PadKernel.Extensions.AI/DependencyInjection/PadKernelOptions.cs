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
