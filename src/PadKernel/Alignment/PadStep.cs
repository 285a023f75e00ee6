namespace PadKernel.Alignment;

/// <summary>What PAD did at one step: the base model's favourite, the token chosen, and every candidate's scores.</summary>
/// <param name="Index">The step number, from 0.</param>
/// <param name="BaseTopTokenId">The token plain greedy decoding would have chosen.</param>
/// <param name="ChosenTokenId">The token PAD chose.</param>
/// <param name="Candidates">The candidates K in order of base logit, highest first.</param>
public sealed record PadStep(int Index, int BaseTopTokenId, int ChosenTokenId, IReadOnlyList<PadCandidate> Candidates)
{
    /// <summary>Gets a value indicating whether the preference changed the token at this step.</summary>
    public bool Changed => BaseTopTokenId != ChosenTokenId;
}

/// <summary>One candidate token at a PAD step.</summary>
/// <param name="TokenId">The token id.</param>
/// <param name="BaseLogit">l_b(a), after repetition penalty.</param>
/// <param name="Rewards">r_i(a) for each reward, in request order.</param>
/// <param name="Score">s(a) = l_b(a) + sum_i w_i r_i(a).</param>
public sealed record PadCandidate(int TokenId, float BaseLogit, IReadOnlyList<float> Rewards, float Score);
