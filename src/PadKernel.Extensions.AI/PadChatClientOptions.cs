using PadKernel.Alignment;
using PadKernel.Models;
using PadKernel.Prompts;

namespace PadKernel.Extensions.AI;

/// <summary>Settings of a <see cref="PadChatClient"/>; requests override the generation defaults through <c>ChatOptions</c>.</summary>
public sealed class PadChatClientOptions
{
    /// <summary>Gets or sets the model id the client reports and accepts in <c>ChatOptions.ModelId</c>; the model's own id by default.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the chat template; chosen from the model with <see cref="ChatTemplate.ForModel"/> when null.</summary>
    public ChatTemplate? ChatTemplate { get; set; }

    /// <summary>Gets or sets the personalized reward model used by <see cref="RewardMode.RewardModel"/> requests.</summary>
    public ILanguageModel? RewardModel { get; set; }

    /// <summary>Gets or sets the reward model's chat template; chosen from the reward model when null.</summary>
    public ChatTemplate? RewardModelChatTemplate { get; set; }

    /// <summary>Gets or sets the reward source of requests that do not say (<c>pad_mode</c>). Default self-contrast.</summary>
    public RewardMode DefaultMode { get; set; } = RewardMode.SelfContrast;

    /// <summary>Gets or sets the weight of request preferences given without one (<c>pad_weight</c> overrides it). Default 1.</summary>
    public float DefaultWeight { get; set; } = 1f;

    /// <summary>Gets or sets PAD's candidate-set size K when a request does not set <c>pad_top_k</c>. Default 10.</summary>
    public int PadTopK { get; set; } = 10;

    /// <summary>Gets or sets the token limit when a request does not set <c>MaxOutputTokens</c>. Default 256.</summary>
    public int MaxOutputTokens { get; set; } = 256;

    /// <summary>Gets or sets the temperature when a request does not set one. Default 0 (greedy).</summary>
    public float Temperature { get; set; }

    /// <summary>Gets or sets the repetition penalty (1 disables it). Default 1.</summary>
    public float RepetitionPenalty { get; set; } = 1f;

    /// <summary>Gets or sets a value indicating whether a user's stored preferences apply to requests by default (<c>pad_use_stored</c> overrides it). Default true.</summary>
    public bool UseStoredPreferences { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a request that offers tools with <c>ToolMode</c> auto (or unset) is refused
    /// with <see cref="NotSupportedException"/> instead of being answered in plain text with a logged warning. Default
    /// false. A request whose <c>ToolMode</c> requires a tool call is always refused: PadKernel's models cannot call tools.
    /// </summary>
    public bool StrictToolSupport { get; set; }

    /// <summary>Gets or sets the provider name reported in <c>ChatClientMetadata</c>. Default <c>padkernel</c>.</summary>
    public string ProviderName { get; set; } = "padkernel";

    /// <summary>Returns a copy, so a client's settings cannot change under it.</summary>
    public PadChatClientOptions Clone() => (PadChatClientOptions)MemberwiseClone();
}
