using PadKernel.Alignment;

namespace PadKernel.Decoding;

/// <summary>A finished generation.</summary>
public sealed class GenerationResult
{
    /// <summary>Gets the generated token ids (without the end-of-sequence token).</summary>
    public required IReadOnlyList<int> TokenIds { get; init; }

    /// <summary>Gets the generated text, with any stop sequence removed.</summary>
    public required string Text { get; init; }

    /// <summary>Gets why generation ended.</summary>
    public required FinishReason FinishReason { get; init; }

    /// <summary>Gets the number of tokens in the base context.</summary>
    public required int PromptTokens { get; init; }

    /// <summary>Gets the per-step trace when tracing was requested; otherwise empty.</summary>
    public IReadOnlyList<PadStep> Trace { get; init; } = [];

    /// <summary>Gets how many generated tokens PAD chose differently from the base model's top token (counted without a trace).</summary>
    public int ChangedTokens { get; init; }
}
