namespace PadKernel.Logits;

/// <summary>
/// A user link: min-p filtering. Keeps the candidates whose probability is at least <see cref="MinP"/> times the most
/// likely one's (softmax of the scores as they reach it), in their current order. Placed with the user links, it acts
/// on the base distribution before PAD's candidate set is taken, so PAD only re-ranks plausible tokens.
/// </summary>
/// <example>
/// <code>
/// options.LogitsProcessors.Add(new MinPFilter(0.05f));
/// </code>
/// </example>
public sealed class MinPFilter : ILogitsProcessorFactory
{
    /// <summary>Initializes a new instance of the <see cref="MinPFilter"/> class.</summary>
    /// <param name="minP">The fraction of the top probability a candidate needs, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minP"/> is outside (0, 1].</exception>
    public MinPFilter(float minP)
    {
        if (!(minP > 0f && minP <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(minP), minP, "MinP must be in (0, 1].");
        }

        MinP = minP;
    }

    /// <summary>Gets the fraction of the top probability a candidate needs.</summary>
    public float MinP { get; }

    /// <inheritdoc/>
    public ILogitsProcessor Create(LogitsProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Processor(MathF.Log(MinP), context.Model.VocabularySize);
    }

    private sealed class Processor(float logMinP, int capacity) : ILogitsProcessor
    {
        private readonly int[] _kept = new int[capacity];

        // p(a) >= minP * p(max)  <=>  score(a) >= score(max) + ln(minP): no softmax needed.
        public void Apply(TokenCandidates candidates, LogitsStep step)
        {
            ReadOnlySpan<float> scores = candidates.Scores;
            if (scores.IsEmpty)
            {
                return;
            }

            float threshold = System.Numerics.Tensors.TensorPrimitives.Max(scores) + logMinP;
            int count = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                if (scores[i] >= threshold)
                {
                    _kept[count++] = i;
                }
            }

            if (count < scores.Length)
            {
                bool sorted = candidates.IsSorted;
                candidates.Reorder(_kept.AsSpan(0, count));
                candidates.IsSorted = sorted;
            }
        }
    }
}
