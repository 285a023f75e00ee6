using PadKernel.Alignment;

namespace PadKernel.Extensions.AI;

/// <summary>
/// What a <see cref="PadChatClient"/> applies where a request does not say, and its tool policy. Declared once:
/// <see cref="PadChatClientOptions.Defaults"/> holds them for a client built by hand, and <see cref="PadModelOptions"/>
/// (a model in configuration) is one, so a configured model's settings reach its client without being copied.
/// </summary>
public class PadClientDefaults
{
    /// <summary>Gets or sets the reward source of requests that do not set <c>pad_mode</c>. Default self-contrast (<c>self</c>; configuration also reads <c>reward_model</c>).</summary>
    public RewardMode Mode { get; set; } = RewardMode.SelfContrast;

    /// <summary>Gets or sets the weight of preferences given without one when the request sets no <c>pad_weight</c>. Default 1.</summary>
    public float DefaultWeight { get; set; } = 1f;

    /// <summary>Gets or sets PAD's candidate-set size K when a request does not set <c>pad_top_k</c>. Default 10.</summary>
    public int PadTopK { get; set; } = 10;

    /// <summary>Gets or sets the token limit when a request does not set <c>MaxOutputTokens</c>. Default 256.</summary>
    public int MaxOutputTokens { get; set; } = 256;

    /// <summary>Gets or sets the temperature when a request does not set one. Default 0 (greedy).</summary>
    public float Temperature { get; set; }

    /// <summary>Gets or sets the repetition penalty (1 disables it). Default 1.</summary>
    public float RepetitionPenalty { get; set; } = 1f;

    /// <summary>
    /// Gets or sets a value indicating whether a request that offers tools with <c>ToolMode</c> auto (or unset) is refused
    /// with <see cref="NotSupportedException"/> instead of being answered in plain text with a logged warning. Default
    /// false. A request whose <c>ToolMode</c> requires a tool call is always refused: PadKernel's models cannot call tools.
    /// </summary>
    public bool StrictToolSupport { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range, prefixed with <paramref name="path"/> (for example <c>PadKernel:Models:stories:</c>).</summary>
    public void Validate(string path = "")
    {
        ArgumentNullException.ThrowIfNull(path);
        Check(Enum.IsDefined(Mode), nameof(Mode), $"'{RewardModeConverter.SelfName}' or '{RewardModeConverter.RewardModelName}'");
        Check(float.IsFinite(DefaultWeight), nameof(DefaultWeight), "a finite number");
        Check(PadTopK >= 1, nameof(PadTopK), "at least 1");
        Check(MaxOutputTokens >= 1, nameof(MaxOutputTokens), "at least 1");
        Check(Temperature >= 0f && float.IsFinite(Temperature), nameof(Temperature), "a finite number ≥ 0");
        Check(RepetitionPenalty > 0f && float.IsFinite(RepetitionPenalty), nameof(RepetitionPenalty), "a finite number > 0");

        void Check(bool valid, string name, string expected)
        {
            if (!valid)
            {
                throw new ArgumentException($"'{path}{name}' must be {expected}.", path + name);
            }
        }
    }

    /// <summary>Returns a copy, so a client's defaults cannot change under it.</summary>
    internal PadClientDefaults Clone() => (PadClientDefaults)MemberwiseClone();
}
