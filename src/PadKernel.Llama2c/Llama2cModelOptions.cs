namespace PadKernel.Llama2c;

/// <summary>Options for loading a llama2.c model.</summary>
public sealed class Llama2cModelOptions
{
    /// <summary>Gets or sets the model id reported in <see cref="Models.ModelInfo.ModelId"/>; by default the checkpoint's file name without extension.</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets how <see cref="Llama2cModel.DecodeBatch"/> uses threads for a batch of two or more sequences.
    /// Single-sequence decoding is always single-threaded. Default: <see cref="Llama2cBatchThreading.Split"/> on a
    /// machine with more than one processor, otherwise <see cref="Llama2cBatchThreading.Serial"/>.
    /// </summary>
    public Llama2cBatchThreading BatchThreading { get; set; } = Environment.ProcessorCount > 1 ? Llama2cBatchThreading.Split : Llama2cBatchThreading.Serial;
}
