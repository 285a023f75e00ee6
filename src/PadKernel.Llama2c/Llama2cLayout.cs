namespace PadKernel.Llama2c;

/// <summary>Where each buffer of a sequence lives: offsets into its one scratch array and the sizes of its KV cache.</summary>
internal sealed class Llama2cLayout
{
    public Llama2cLayout(Llama2cWeights weights)
    {
        Llama2cConfig c = weights.Config;
        int offset = 0;
        int Reserve(int count)
        {
            int start = offset;
            offset += Llama2cKernels.Pad(count);
            return start;
        }

        X = Reserve(c.Dim);
        Xb = Reserve(c.Dim);
        Xb2 = Reserve(weights.DimRows);
        Qkv = Reserve(weights.QkvRows);
        SequenceStride = Llama2cKernels.Pad(c.SequenceLength);
        Attention = Reserve(2 * SequenceStride);
        Gate = Reserve(2 * weights.HiddenRows);
        Hidden = Reserve(c.HiddenDim);
        LogitsOffset = Reserve(c.VocabularySize);
        ScratchLength = offset;
        VocabularySize = c.VocabularySize;
        KeyCacheLength = (long)c.Layers * c.KvHeads * c.HeadSize * SequenceStride;
        ValueCacheLength = KeyCacheLength;
    }

    /// <summary>Gets the residual stream (dim).</summary>
    public int X { get; }

    /// <summary>Gets the normalized input of a projection (dim).</summary>
    public int Xb { get; }

    /// <summary>Gets the output of a projection added back into the residual stream (dim).</summary>
    public int Xb2 { get; }

    /// <summary>Gets q, k and v of the current position, each starting on a whole panel.</summary>
    public int Qkv { get; }

    /// <summary>Gets the attention weights of one head, or of the two heads sharing a KV head (padded sequence length each).</summary>
    public int Attention { get; }

    /// <summary>Gets w1·x then w3·x, each starting on a whole panel.</summary>
    public int Gate { get; }

    /// <summary>Gets silu(w1·x) * w3·x (hidden).</summary>
    public int Hidden { get; }

    /// <summary>Gets the logits (vocabulary).</summary>
    public int LogitsOffset { get; }

    public int VocabularySize { get; }

    public int ScratchLength { get; }

    /// <summary>Gets the distance between head-dimension rows of the transposed key cache.</summary>
    public int SequenceStride { get; }

    public long KeyCacheLength { get; }

    public long ValueCacheLength { get; }

    public ReadOnlySpan<float> Logits(float[] scratch) => scratch.AsSpan(LogitsOffset, VocabularySize);
}
