using PadKernel.Alignment;

namespace PadKernel.Decoding;

/// <summary>One generated token, as streamed.</summary>
/// <param name="TokenId">The token id, or -1 on the final update that only carries <paramref name="FinishReason"/> and held-back text.</param>
/// <param name="Text">The text this update completes (may be empty while a UTF-8 character or a possible stop sequence is pending).</param>
/// <param name="Step">The PAD trace of this step when tracing is on.</param>
/// <param name="FinishReason">Set on the last update.</param>
public readonly record struct GenerationUpdate(int TokenId, string Text, PadStep? Step, FinishReason? FinishReason)
{
    /// <summary>Gets a value indicating whether PAD chose a token other than the base model's top token (known without a trace).</summary>
    public bool ChangedByPad { get; init; }
}
