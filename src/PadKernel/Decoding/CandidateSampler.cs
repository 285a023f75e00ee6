using System.Numerics.Tensors;

namespace PadKernel.Decoding;

/// <summary>Draws one candidate from softmax(score / T), optionally restricted to the top-p nucleus. Allocation-free.</summary>
public static class CandidateSampler
{
    /// <summary>Returns the index (into <paramref name="scores"/>) of the drawn candidate.</summary>
    /// <param name="scores">Candidate scores; overwritten with probabilities.</param>
    /// <param name="keys">Scratch at least as long as <paramref name="scores"/>, used for top-p ordering.</param>
    /// <param name="order">Scratch at least as long as <paramref name="scores"/>, used for top-p ordering.</param>
    /// <param name="temperature">Temperature T &gt; 0.</param>
    /// <param name="topP">Nucleus mass in (0, 1].</param>
    /// <param name="random">The seeded random source.</param>
    public static int Sample(Span<float> scores, Span<float> keys, Span<int> order, float temperature, float topP, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (scores.Length == 0)
        {
            throw new ArgumentException("There is no candidate to sample from.", nameof(scores));
        }

        TensorPrimitives.Divide(scores, temperature, scores);
        TensorPrimitives.SoftMax(scores, scores);

        int count = scores.Length;
        if (topP < 1f)
        {
            order = order[..scores.Length];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            // Sort candidate indices by probability, highest first (negated keys sort ascending).
            keys = keys[..scores.Length];
            TensorPrimitives.Negate(scores, keys);
            keys.Sort(order);
            double mass = 0;
            count = 0;
            while (count < order.Length)
            {
                mass += scores[order[count]];
                count++;
                if (mass >= topP)
                {
                    break;
                }
            }

            double total = mass;
            double u = random.NextDouble() * total;
            for (int i = 0; i < count; i++)
            {
                u -= scores[order[i]];
                if (u < 0)
                {
                    return order[i];
                }
            }

            return order[count - 1];
        }

        double draw = random.NextDouble();
        for (int i = 0; i < count; i++)
        {
            draw -= scores[i];
            if (draw < 0)
            {
                return i;
            }
        }

        // Rounding left a sliver of mass: take the last candidate with any probability.
        for (int i = count - 1; i >= 0; i--)
        {
            if (scores[i] > 0)
            {
                return i;
            }
        }

        return 0;
    }
}
