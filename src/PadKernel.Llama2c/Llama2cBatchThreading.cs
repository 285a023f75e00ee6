namespace PadKernel.Llama2c;

/// <summary>How a batch of sequences is spread over threads. Every mode gives bit-identical logits.</summary>
public enum Llama2cBatchThreading
{
    /// <summary>All sequences on the caller's thread, each weight pass shared by the whole batch.</summary>
    Serial,

    /// <summary>Half the batch on a thread-pool thread (taken back by the caller if the pool thread is slow to start).</summary>
    Split,

    /// <summary>Measures both and keeps the faster, re-measuring as the position and the machine's load change.</summary>
    Adaptive,
}
