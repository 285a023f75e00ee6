namespace PadKernel.Alignment;

/// <summary>Where PAD's token-level reward comes from.</summary>
public enum RewardMode
{
    /// <summary>The base model itself, with the preference in the reward context and not in the base context.</summary>
    SelfContrast,

    /// <summary>A separate personalized reward model (the paper's PersRM) with the same vocabulary; both contexts carry the preference prompt.</summary>
    RewardModel,
}
