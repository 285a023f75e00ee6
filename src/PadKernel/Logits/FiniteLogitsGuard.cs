using System.Numerics.Tensors;
using PadKernel.Decoding;

namespace PadKernel.Logits;

/// <summary>
/// The first link: throws <see cref="InvalidLogitsException"/> naming the model and step when the base logits hold NaN
/// or +∞, or are all −∞ (−∞ alone is a legitimate mask), so a broken export fails where it happens instead of
/// emitting token 0 forever.
/// </summary>
internal sealed class FiniteLogitsGuard : ILogitsProcessor
{
    // One vectorized pass: TensorPrimitives.Max returns NaN if any value is NaN, so a finite maximum means no NaN, no +∞
    // and not every token −∞. Only a bad step walks the logits to say what is wrong.
    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        ReadOnlySpan<float> logits = step.BaseLogits;
        if (logits.IsEmpty || !float.IsFinite(TensorPrimitives.Max(logits)))
        {
            throw Invalid(logits, step);
        }
    }

    private static InvalidLogitsException Invalid(ReadOnlySpan<float> logits, LogitsStep step)
    {
        for (int i = 0; i < logits.Length; i++)
        {
            if (float.IsNaN(logits[i]) || float.IsPositiveInfinity(logits[i]))
            {
                return new InvalidLogitsException(step.ModelId, step.Index, $"{logits[i]} at token id {i}");
            }
        }

        return new InvalidLogitsException(step.ModelId, step.Index, "every logit is -Infinity");
    }
}
