namespace PadKernel.Logits;

/// <summary>Keeps the k highest-scoring candidates, highest first (ties to the lower id): plain top-k, and PAD's candidate set K.</summary>
/// <param name="k">How many to keep.</param>
internal sealed class TopKFilter(int k) : ILogitsProcessor
{
    public void Apply(TokenCandidates candidates, LogitsStep step) => candidates.SelectTop(k);
}
