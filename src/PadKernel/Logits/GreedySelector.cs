using System.Numerics.Tensors;
using PadKernel.Decoding;

namespace PadKernel.Logits;

/// <summary>
/// The selector of greedy decoding: the first candidate with the highest score — over the whole vocabulary the lowest
/// id, over PAD's K (ordered by base logit) the candidate with the higher base logit.
/// </summary>
internal sealed class GreedySelector : ILogitsProcessor
{
    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        ReadOnlySpan<float> scores = candidates.Scores;
        int best = scores.IsEmpty ? -1 : TensorPrimitives.IndexOfMax(scores);
        if (best < 0 || !(scores[best] > float.NegativeInfinity))
        {
            throw SamplingSelector.NothingLeft(step);
        }

        candidates.Selected = best;
    }
}
