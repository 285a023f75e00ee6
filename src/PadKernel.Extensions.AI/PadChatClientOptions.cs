using PadKernel.Alignment;
using PadKernel.Models;
using PadKernel.Prompts;

namespace PadKernel.Extensions.AI;

/// <summary>Settings of a <see cref="PadChatClient"/>: what it runs with, and (<see cref="Defaults"/>) what it applies where a request does not say.</summary>
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

    /// <summary>Gets or sets the provider name reported in <c>ChatClientMetadata</c>. Default <c>padkernel</c>.</summary>
    public string ProviderName { get; set; } = "padkernel";

    /// <summary>Gets or sets what the client applies where a request does not say (token limit, temperature, PAD's K, ...) and its tool policy.</summary>
    public PadClientDefaults Defaults { get; set; } = new();

    /// <summary>Returns a copy, so a client's settings cannot change under it.</summary>
    public PadChatClientOptions Clone()
    {
        var copy = (PadChatClientOptions)MemberwiseClone();
        copy.Defaults = (Defaults ?? throw new InvalidOperationException("PadChatClientOptions.Defaults must not be null.")).Clone();
        return copy;
    }
}
