using PadKernel.Decoding;

namespace PadKernel.Logits;

/// <summary>
/// The selector of sampling: draws a candidate from its probabilities (softmax of the scores, unless a filter such as
/// top-p already computed and narrowed them) with the request's seeded random source.
/// </summary>
/// <param name="random">The request's random source (seeded when the options give a seed).</param>
internal sealed class SamplingSelector(Random random) : ILogitsProcessor
{
    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        if (candidates.Count == 0)
        {
            throw NothingLeft(step);
        }

        if (!candidates.HasProbabilities)
        {
            candidates.Softmax();
        }

        ReadOnlySpan<float> probabilities = candidates.Probabilities;
        double draw = random.NextDouble() * candidates.ProbabilityMass;
        for (int i = 0; i < probabilities.Length; i++)
        {
            draw -= probabilities[i];
            if (draw < 0)
            {
                candidates.Selected = i;
                return;
            }
        }

        // Rounding left a sliver of mass: take the last candidate with any probability.
        for (int i = probabilities.Length - 1; i >= 0; i--)
        {
            if (probabilities[i] > 0)
            {
                candidates.Selected = i;
                return;
            }
        }

        throw NothingLeft(step);
    }

    internal static InvalidLogitsException NothingLeft(LogitsStep step) =>
        new(step.ModelId, step.Index, "no candidate is left: the logits processors removed every token (score -Infinity)");
}
