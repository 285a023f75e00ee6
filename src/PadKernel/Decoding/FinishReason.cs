namespace PadKernel.Decoding;

/// <summary>Why generation ended.</summary>
public enum FinishReason
{
    /// <summary>The model produced an end-of-sequence token or a stop sequence appeared.</summary>
    Stop,

    /// <summary>The token limit or the model's context length was reached.</summary>
    Length,
}
