namespace PadKernel.Llama2c;

/// <summary>Options for loading a llama2.c model.</summary>
public sealed class Llama2cModelOptions
{
    /// <summary>Gets or sets the model id reported in <see cref="Models.ModelInfo.ModelId"/>; by default the checkpoint's file name without extension.</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <see cref="Llama2cModel.DecodeBatch"/> splits a batch of two or more
    /// sequences across two threads (the caller's and one thread-pool thread). Single-sequence decoding is always
    /// single-threaded. Default: true when the machine has more than one processor.
    /// </summary>
    public bool ParallelBatch { get; set; } = Environment.ProcessorCount > 1;
}
