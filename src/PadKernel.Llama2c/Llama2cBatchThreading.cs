namespace PadKernel.Llama2c;

/// <summary>How a batch of sequences is spread over threads. Every mode gives bit-identical logits.</summary>
public enum Llama2cBatchThreading
{
    /// <summary>All sequences on the caller's thread, each weight pass shared by the whole batch.</summary>
    Serial,

    /// <summary>
    /// Half the batch on the model's worker thread, which stays awake between the steps of a generation. The caller
    /// takes the half back when the worker is slow to start, and stops offering it for a while when that keeps
    /// happening (a busy machine), so on a machine without a free core this costs about what <see cref="Serial"/> does.
    /// </summary>
    Split,
}
