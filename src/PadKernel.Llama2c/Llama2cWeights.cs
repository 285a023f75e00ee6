using System.Runtime.InteropServices;
using PadKernel.Models;

namespace PadKernel.Llama2c;

/// <summary>
/// The checkpoint's weights, repacked once at load for the kernels: each matrix as 16-row panels (see <see cref="Llama2cMatVec"/>),
/// q/k/v fused into one matrix and w1/w3 into another so each needs a single pass, and the RoPE rotation tables
/// computed the way llama2.c's run.c computes them (the checkpoint's own freq_cis tables are skipped, as run.c does).
/// Immutable after construction, so any number of threads read it at once.
/// </summary>
internal sealed class Llama2cWeights
{
    private Llama2cWeights(Llama2cConfig config)
    {
        Config = config;
        DimRows = Llama2cKernels.Pad(config.Dim);
        KvRows = Llama2cKernels.Pad(config.KvDim);
        HiddenRows = Llama2cKernels.Pad(config.HiddenDim);
        QkvRows = DimRows + (2 * KvRows);
        Embedding = new float[(long)config.VocabularySize * config.Dim];
        RmsAttention = new float[config.Layers * config.Dim];
        RmsFeedForward = new float[config.Layers * config.Dim];
        RmsFinal = new float[config.Dim];
        Qkv = new float[(long)config.Layers * QkvSize];
        Output = new float[(long)config.Layers * OutputSize];
        Gate = new float[(long)config.Layers * GateSize];
        Down = new float[(long)config.Layers * DownSize];
        Classifier = new float[(long)Llama2cKernels.Pad(config.VocabularySize) * config.Dim];
        int half = config.HeadSize / 2;
        RopeCos = new float[config.SequenceLength * half];
        RopeSin = new float[config.SequenceLength * half];
    }

    public Llama2cConfig Config { get; }

    /// <summary>Gets the model dimension rounded up to whole panels.</summary>
    public int DimRows { get; }

    /// <summary>Gets the key/value width rounded up to whole panels.</summary>
    public int KvRows { get; }

    /// <summary>Gets the hidden dimension rounded up to whole panels.</summary>
    public int HiddenRows { get; }

    /// <summary>Gets the output rows of the fused q/k/v product: q, then k at <see cref="DimRows"/>, then v at DimRows + KvRows.</summary>
    public int QkvRows { get; }

    public int QkvSize => QkvRows * Config.Dim;

    public int OutputSize => DimRows * Config.Dim;

    public int GateSize => 2 * HiddenRows * Config.Dim;

    public int DownSize => DimRows * Config.HiddenDim;

    public float[] Embedding { get; }

    public float[] RmsAttention { get; }

    public float[] RmsFeedForward { get; }

    public float[] RmsFinal { get; }

    /// <summary>Gets, per layer, the panels of wq, wk and wv (see <see cref="Llama2cMatVec"/>).</summary>
    public float[] Qkv { get; }

    /// <summary>Gets, per layer, the panels of wo.</summary>
    public float[] Output { get; }

    /// <summary>Gets, per layer, the panels of w1 then those of w3 (its outputs start at <see cref="HiddenRows"/>).</summary>
    public float[] Gate { get; }

    /// <summary>Gets, per layer, the panels of w2.</summary>
    public float[] Down { get; }

    /// <summary>Gets the panels of the classifier.</summary>
    public float[] Classifier { get; }

    /// <summary>Gets cos(pos · freq) for each position and each pair of a head, <c>[pos * HeadSize/2 + pair]</c>.</summary>
    public float[] RopeCos { get; }

    /// <summary>Gets sin(pos · freq), laid out like <see cref="RopeCos"/>.</summary>
    public float[] RopeSin { get; }

    public static Llama2cWeights Load(string path)
    {
        // The header alone decides whether the file is worth reading: a wrong size is refused before the weights are read.
        long length = Llama2cFiles.CheckFile(path, "checkpoint");
        Llama2cConfig config = Llama2cConfig.Parse(Llama2cFiles.ReadPrefix(path, "checkpoint", Llama2cConfig.HeaderBytes), path);
        if (length != config.FileBytes)
        {
            string what = length < config.FileBytes ? "truncated" : "longer than its header describes";
            throw new ModelFormatException(path, $"The checkpoint is {length} bytes but its header (dim={config.Dim}, hidden_dim={config.HiddenDim}, n_layers={config.Layers}, n_heads={config.Heads}, n_kv_heads={config.KvHeads}, vocab_size={(config.SharedClassifier ? "" : "-")}{config.VocabularySize}, seq_len={config.SequenceLength}) describes {config.FileBytes} bytes: the file is {what} or the header is wrong.");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("llama2.c checkpoints are little-endian; this runtime needs a little-endian machine.");
        }

        byte[] data = Llama2cFiles.ReadAll(path, "checkpoint");
        if (data.Length != config.FileBytes)
        {
            throw new ModelFormatException(path, "The checkpoint changed while it was read.");
        }

        var weights = new Llama2cWeights(config);
        weights.Fill(MemoryMarshal.Cast<byte, float>(data.AsSpan(Llama2cConfig.HeaderBytes)), path);
        return weights;
    }

    private void Fill(ReadOnlySpan<float> source, string path)
    {
        Llama2cConfig c = Config;
        int dim = c.Dim, hidden = c.HiddenDim, layers = c.Layers, kvDim = c.KvDim;
        int offset = 0;
        ReadOnlySpan<float> embedding = Take(source, ref offset, (long)c.VocabularySize * dim);
        embedding.CopyTo(Embedding);
        Take(source, ref offset, (long)layers * dim).CopyTo(RmsAttention);
        ReadOnlySpan<float> wq = Take(source, ref offset, (long)layers * dim * dim);
        ReadOnlySpan<float> wk = Take(source, ref offset, (long)layers * kvDim * dim);
        ReadOnlySpan<float> wv = Take(source, ref offset, (long)layers * kvDim * dim);
        ReadOnlySpan<float> wo = Take(source, ref offset, (long)layers * dim * dim);
        Take(source, ref offset, (long)layers * dim).CopyTo(RmsFeedForward);
        ReadOnlySpan<float> w1 = Take(source, ref offset, (long)layers * hidden * dim);
        ReadOnlySpan<float> w2 = Take(source, ref offset, (long)layers * dim * hidden);
        ReadOnlySpan<float> w3 = Take(source, ref offset, (long)layers * hidden * dim);
        Take(source, ref offset, dim).CopyTo(RmsFinal);
        Take(source, ref offset, (long)c.SequenceLength * c.HeadSize); // freq_cis_real and freq_cis_imag: recomputed below, as run.c does
        ReadOnlySpan<float> classifier = c.SharedClassifier ? embedding : Take(source, ref offset, (long)c.VocabularySize * dim);

        for (int l = 0; l < layers; l++)
        {
            Span<float> qkv = Qkv.AsSpan(l * QkvSize, QkvSize);
            Llama2cMatVec.Pack(wq.Slice(l * dim * dim, dim * dim), dim, dim, qkv);
            Llama2cMatVec.Pack(wk.Slice(l * kvDim * dim, kvDim * dim), kvDim, dim, qkv[(DimRows * dim)..]);
            Llama2cMatVec.Pack(wv.Slice(l * kvDim * dim, kvDim * dim), kvDim, dim, qkv[((DimRows + KvRows) * dim)..]);
            Llama2cMatVec.Pack(wo.Slice(l * dim * dim, dim * dim), dim, dim, Output.AsSpan(l * OutputSize, OutputSize));
            Span<float> gate = Gate.AsSpan(l * GateSize, GateSize);
            Llama2cMatVec.Pack(w1.Slice(l * hidden * dim, hidden * dim), hidden, dim, gate);
            Llama2cMatVec.Pack(w3.Slice(l * hidden * dim, hidden * dim), hidden, dim, gate[(HiddenRows * dim)..]);
            Llama2cMatVec.Pack(w2.Slice(l * dim * hidden, dim * hidden), dim, hidden, Down.AsSpan(l * DownSize, DownSize));
        }

        Llama2cMatVec.Pack(classifier, c.VocabularySize, dim, Classifier);

        foreach (float value in source)
        {
            if (!float.IsFinite(value))
            {
                throw new ModelFormatException(path, "The checkpoint holds a NaN or infinite weight; the file is corrupt.");
            }
        }

        // RoPE as run.c: freq = 1 / 10000^(head_dim / head_size) for each even head_dim, angle = pos * freq, in float.
        int headSize = c.HeadSize;
        int half = headSize / 2;
        for (int pos = 0; pos < c.SequenceLength; pos++)
        {
            for (int pair = 0; pair < half; pair++)
            {
                float freq = 1.0f / MathF.Pow(10000.0f, 2 * pair / (float)headSize);
                float angle = pos * freq;
                RopeCos[(pos * half) + pair] = MathF.Cos(angle);
                RopeSin[(pos * half) + pair] = MathF.Sin(angle);
            }
        }
    }

    private static ReadOnlySpan<float> Take(ReadOnlySpan<float> source, ref int offset, long count)
    {
        ReadOnlySpan<float> slice = source.Slice(offset, checked((int)count));
        offset += (int)count;
        return slice;
    }
}
