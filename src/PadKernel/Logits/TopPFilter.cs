using System.Numerics.Tensors;

namespace PadKernel.Logits;

/// <summary>
/// Nucleus sampling's filter: orders the candidates by probability and keeps the fewest whose mass reaches p. The kept
/// probabilities are not renormalized: the sampler draws within <see cref="TokenCandidates.ProbabilityMass"/>.
/// </summary>
internal sealed class TopPFilter : ILogitsProcessor
{
    private readonly float _p;
    private readonly float[] _keys;
    private readonly int[] _order;

    /// <param name="p">The nucleus mass, in (0, 1).</param>
    /// <param name="capacity">The most candidates a step can hold.</param>
    public TopPFilter(float p, int capacity)
    {
        _p = p;
        _keys = new float[capacity];
        _order = new int[capacity];
    }

    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        if (!candidates.HasProbabilities)
        {
            candidates.Softmax();
        }

        ReadOnlySpan<float> probabilities = candidates.Probabilities;
        Span<int> order = _order.AsSpan(0, probabilities.Length);
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Negated keys sort ascending: most probable first.
        Span<float> keys = _keys.AsSpan(0, probabilities.Length);
        TensorPrimitives.Negate(probabilities, keys);
        keys.Sort(order);
        double mass = 0;
        int count = 0;
        while (count < order.Length)
        {
            mass += probabilities[order[count]];
            count++;
            if (mass >= _p)
            {
                break;
            }
        }

        candidates.Reorder(order[..count]);
        candidates.IsSorted = true;
    }
}
