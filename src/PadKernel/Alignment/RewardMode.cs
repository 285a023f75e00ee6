using System.ComponentModel;

namespace PadKernel.Alignment;

/// <summary>Where PAD's token-level reward comes from.</summary>
/// <remarks>
/// Configuration and request options name the modes <c>self</c> and <c>reward_model</c> (see <see cref="RewardModeConverter"/>);
/// the converter lets configuration binding read those names.
/// </remarks>
[TypeConverter(typeof(RewardModeConverter))]
public enum RewardMode
{
    /// <summary>The base model itself, with the preference in the reward context and not in the base context.</summary>
    SelfContrast,

    /// <summary>A separate personalized reward model (the paper's PersRM; another tokenizer is mapped through <see cref="TokenMapping"/>); both contexts carry the preference prompt.</summary>
    RewardModel,
}
