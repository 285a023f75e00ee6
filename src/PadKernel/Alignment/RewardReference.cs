namespace PadKernel.Alignment;

/// <summary>
/// In reward-model mode with several preferences, what each reward r_i is measured against. The base row's K and
/// l_b in the score are the same either way.
/// </summary>
public enum RewardReference
{
    /// <summary>
    /// The base context itself, which carries every preference joined: r_i = logsoftmax_K(l_RM(s, p_i)) −
    /// logsoftmax_K(l_base(s, p_all)). With several preferences this adds, per reward, the term
    /// log π(a | s, p_i) − log π(a | s, p_all) that the paper (one preference per run) does not have. The default.
    /// </summary>
    Joined,

    /// <summary>
    /// The base model reading preference i alone, one extra batched row per preference: r_i = logsoftmax_K(l_RM(s, p_i))
    /// − logsoftmax_K(l_base(s, p_i)), the paper's reward for each preference. With one preference it is
    /// <see cref="Joined"/> exactly (the contexts are equal, so no extra row is run).
    /// </summary>
    PerPreference,
}
