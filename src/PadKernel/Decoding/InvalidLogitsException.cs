namespace PadKernel.Decoding;

/// <summary>
/// Thrown when a model returns next-token logits that no token can be chosen from: a NaN or +∞ anywhere, or every
/// logit −∞. It names the model and the step, so a broken export or numeric overflow is reported where it happens
/// instead of surfacing as an index error or an endless run of token 0.
/// </summary>
public sealed class InvalidLogitsException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidLogitsException"/> class.</summary>
    /// <param name="modelId">The model whose logits are invalid.</param>
    /// <param name="step">The generation step (0 = the logits after the prompt).</param>
    /// <param name="problem">What is wrong, for example "NaN at token id 17".</param>
    public InvalidLogitsException(string modelId, int step, string problem)
        : base($"The model '{modelId}' returned invalid logits at step {step}: {problem}. The model file or its numeric precision is broken for this input.")
    {
        ModelId = modelId;
        Step = step;
    }

    /// <summary>Gets the model whose logits are invalid.</summary>
    public string ModelId { get; }

    /// <summary>Gets the generation step (0 = the logits after the prompt).</summary>
    public int Step { get; }
}
