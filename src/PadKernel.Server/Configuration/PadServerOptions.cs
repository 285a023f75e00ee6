namespace PadKernel.Server.Configuration;

/// <summary>Configuration of the OpenAI-compatible server (configuration section <c>PadServer</c>).</summary>
public sealed class PadServerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "PadServer";

    /// <summary>Gets or sets the API keys that may call the server, each bound to a user or to the admin role.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether requests without an <c>Authorization</c> header are served as
    /// <see cref="AnonymousUser"/>. Meant for a local single-user server; off by default.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Gets or sets the user id anonymous requests act as. Default <c>anonymous</c>.</summary>
    public string AnonymousUser { get; set; } = "anonymous";

    /// <summary>
    /// Gets or sets the model id the server lists and accepts in <c>model</c>; by default the chat client's
    /// <c>ChatClientMetadata.DefaultModelId</c>.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets where users' preferences are kept (used by <c>pad serve</c>'s host; a host that registers its own store ignores it).</summary>
    public PadServerPreferencesOptions Preferences { get; set; } = new();

    /// <summary>Gets or sets the request limits.</summary>
    public PadServerLimits Limits { get; set; } = new();

    /// <summary>
    /// Gets or sets how long, in seconds, a graceful shutdown lets in-flight generations finish before it cancels
    /// them. Default 10.
    /// </summary>
    public double ShutdownDrainSeconds { get; set; } = 10;
}
