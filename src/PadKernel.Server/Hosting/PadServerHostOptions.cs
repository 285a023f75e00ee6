using PadKernel.Models;

namespace PadKernel.Server.Hosting;

/// <summary>What <see cref="PadServerApplication.Create"/> needs to stand a server up (what <c>pad serve</c> takes).</summary>
public sealed class PadServerHostOptions
{
    /// <summary>Gets or sets the addresses to listen on, for example <c>http://127.0.0.1:8080</c> (port 0 picks a free port).</summary>
    public IList<string> Urls { get; set; } = ["http://127.0.0.1:8080"];

    /// <summary>Gets or sets the model file or folder; may instead come from configuration (<c>PadKernel:ModelPath</c> or <c>PadKernel:Models</c>).</summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// Gets or sets a personalized reward model's file or folder for the <see cref="ModelPath"/> model: requests with
    /// <c>pad.mode: "reward_model"</c> use it (self-contrast stays the default).
    /// </summary>
    public string? RewardModelPath { get; set; }

    /// <summary>Gets or sets a JSON configuration file with <c>PadServer</c> and <c>PadKernel</c> sections.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// Gets or sets the SQLite preference database; by default <c>PadServer:Preferences:Path</c>, else
    /// <c>PadKernel:PreferencesDatabase</c>, else <see cref="PadServerApplication.DefaultPreferencesDatabase"/>.
    /// Not allowed with the PostgreSQL store.
    /// </summary>
    public string? PreferencesDatabase { get; set; }

    /// <summary>Gets or sets a value indicating whether requests without a key are served as the anonymous user (overrides configuration when set).</summary>
    public bool? AllowAnonymous { get; set; }

    /// <summary>Gets the model loaders of the runtimes the host can load.</summary>
    public IList<IModelLoader> Loaders { get; } = [];
}
