namespace PadKernel.Server.Configuration;

/// <summary>One API key and whom it acts for.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Gets or sets the secret sent as <c>Authorization: Bearer KEY</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>
    /// Gets or sets the user the key acts as: the user whose stored preferences apply to its generations and the only
    /// user whose preferences it may read or change. Optional for admin keys.
    /// </summary>
    public string? User { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the key is an admin key: it may act as any user (through the
    /// request's <c>user</c> field) and manage any user's preferences.
    /// </summary>
    public bool Admin { get; set; }
}
