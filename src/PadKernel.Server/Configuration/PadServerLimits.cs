namespace PadKernel.Server.Configuration;

/// <summary>Bounds on what one request may ask for and on how many generations run at once.</summary>
public sealed class PadServerLimits
{
    /// <summary>Gets or sets the largest request body accepted, in bytes (larger → 413). Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the most prompt tokens a chat request may carry (more → 400). Default 4096.</summary>
    public int MaxPromptTokens { get; set; } = 4096;

    /// <summary>Gets or sets the largest <c>max_tokens</c> a request may ask for (more → 400). Default 1024.</summary>
    public int MaxTokens { get; set; } = 1024;

    /// <summary>Gets or sets the <c>max_tokens</c> used when a request gives none. Default: 256, or <see cref="MaxTokens"/> when that is smaller.</summary>
    public int? DefaultMaxTokens { get; set; }

    /// <summary>Gets the <c>max_tokens</c> in force when a request gives none.</summary>
    internal int EffectiveDefaultMaxTokens => DefaultMaxTokens ?? Math.Min(256, MaxTokens);

    /// <summary>Gets or sets the most preferences one request or one user's stored list may hold. Default 16.</summary>
    public int MaxPreferences { get; set; } = 16;

    /// <summary>Gets or sets the longest preference text, in characters. Default 500.</summary>
    public int MaxPreferenceLength { get; set; } = 500;

    /// <summary>Gets or sets the largest <c>pad.top_k</c> a request may ask for. Default 64.</summary>
    public int MaxPadTopK { get; set; } = 64;

    /// <summary>Gets or sets the most stop sequences a request may give. Default 4 (as OpenAI).</summary>
    public int MaxStopSequences { get; set; } = 4;

    /// <summary>Gets or sets how many generations run at the same time. Default: the number of processors.</summary>
    public int MaxConcurrentGenerations { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets how many generations may wait for a free slot; a request beyond that is answered 429 at once.
    /// Default 64.
    /// </summary>
    public int MaxQueuedGenerations { get; set; } = 64;

    /// <summary>Gets or sets the <c>Retry-After</c> value, in seconds, sent with a 429. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
