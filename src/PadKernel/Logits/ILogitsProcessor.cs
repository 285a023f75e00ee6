namespace PadKernel.Logits;

/// <summary>
/// One link of a decoding step's logits pipeline (in the spirit of llama.cpp's <c>llama_sampler_i</c> and Hugging
/// Face's <c>LogitsProcessor</c>): it rescores, narrows or reorders the step's candidates, and the last link, a
/// selector, sets <see cref="TokenCandidates.Selected"/>. An instance serves one request; an
/// <see cref="ILogitsProcessorFactory"/> creates it.
/// </summary>
/// <remarks>
/// Per request the decoder calls <see cref="Reset"/> once, then <see cref="Accept"/> for every prompt token; per step it
/// calls <see cref="Apply"/> on every link in order, then <see cref="Accept"/> with the token every context appends.
/// <see cref="Apply"/> runs once per generated token: it should not allocate.
/// </remarks>
public interface ILogitsProcessor
{
    /// <summary>Processes the step's candidates in place.</summary>
    /// <param name="candidates">The candidates as the previous links left them.</param>
    /// <param name="step">The step: its index, the base and reward rows, the prompt and the tokens generated so far.</param>
    void Apply(TokenCandidates candidates, LogitsStep step);

    /// <summary>Records a token the contexts now hold: each prompt token before the first step, then each chosen token.</summary>
    /// <param name="tokenId">The token id, in the base model's vocabulary.</param>
    void Accept(int tokenId)
    {
    }

    /// <summary>Forgets every accepted token, returning to the state after creation (a factory may hand out pooled instances).</summary>
    void Reset()
    {
    }
}
