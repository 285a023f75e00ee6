using System.Numerics.Tensors;

namespace PadKernel.Logits;

/// <summary>Divides every score by the temperature T &gt; 0 before sampling draws from softmax(score / T).</summary>
/// <param name="temperature">T.</param>
internal sealed class TemperatureScaling(float temperature) : ILogitsProcessor
{
    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        Span<float> scores = candidates.Scores;
        TensorPrimitives.Divide(scores, temperature, scores);
    }
}
