using System.Buffers.Binary;
using PadKernel.Models;

namespace PadKernel.Llama2c;

/// <summary>The hyperparameters in a legacy llama2.c checkpoint header (seven little-endian int32 values).</summary>
public sealed record Llama2cConfig
{
    /// <summary>The size of the header in bytes.</summary>
    public const int HeaderBytes = 7 * sizeof(int);

    /// <summary>
    /// The largest key (and value) cache a checkpoint may ask for, in floats per sequence: 2^28, 1 GiB each.
    /// stories110M needs 2^23.2; a model needing more would not fit the 2 GiB checkpoint this runtime reads anyway.
    /// </summary>
    public const long MaxKvCacheFloats = 1L << 28;

    /// <summary>Gets the model (embedding) dimension.</summary>
    public required int Dim { get; init; }

    /// <summary>Gets the hidden dimension of the feed-forward layers.</summary>
    public required int HiddenDim { get; init; }

    /// <summary>Gets the number of transformer layers.</summary>
    public required int Layers { get; init; }

    /// <summary>Gets the number of query heads.</summary>
    public required int Heads { get; init; }

    /// <summary>Gets the number of key/value heads (fewer than <see cref="Heads"/> with grouped-query attention).</summary>
    public required int KvHeads { get; init; }

    /// <summary>Gets the vocabulary size.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Gets the maximum sequence length (the context length).</summary>
    public required int SequenceLength { get; init; }

    /// <summary>Gets a value indicating whether the classifier shares the token embedding (a positive vocabulary size in the header).</summary>
    public required bool SharedClassifier { get; init; }

    /// <summary>Gets the size of one attention head.</summary>
    public int HeadSize => Dim / Heads;

    /// <summary>Gets the width of the key and value projections.</summary>
    public int KvDim => KvHeads * HeadSize;

    /// <summary>Gets the number of float32 values the weights occupy after the header, the unused RoPE tables included.</summary>
    public long WeightCount
    {
        get
        {
            // Checked: Parse bounds each field, not their products.
            checked
            {
                long dim = Dim, hidden = HiddenDim, layers = Layers, kvDim = KvDim, vocab = VocabularySize;
                long count = vocab * dim; // token embedding
                count += layers * dim; // attention rmsnorm
                count += layers * dim * dim; // wq
                count += 2 * layers * dim * kvDim; // wk, wv
                count += layers * dim * dim; // wo
                count += layers * dim; // ffn rmsnorm
                count += 3 * layers * dim * hidden; // w1, w2, w3
                count += dim; // final rmsnorm
                count += (long)SequenceLength * HeadSize; // freq_cis_real and freq_cis_imag, seq_len * head_size / 2 each
                if (!SharedClassifier)
                {
                    count += vocab * dim;
                }

                return count;
            }
        }
    }

    /// <summary>Gets the exact size the checkpoint file must have.</summary>
    public long FileBytes => HeaderBytes + (WeightCount * sizeof(float));

    /// <summary>Reads and validates the header of a checkpoint.</summary>
    /// <param name="header">At least <see cref="HeaderBytes"/> bytes.</param>
    /// <param name="path">The checkpoint path, for error messages.</param>
    /// <exception cref="ModelFormatException">A value is zero, negative or inconsistent.</exception>
    public static Llama2cConfig Parse(ReadOnlySpan<byte> header, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (header.Length < HeaderBytes)
        {
            throw new ModelFormatException(path, $"The checkpoint is {header.Length} bytes long; it is too short to hold the {HeaderBytes}-byte llama2.c header.");
        }

        Span<int> v = stackalloc int[7];
        for (int i = 0; i < 7; i++)
        {
            v[i] = BinaryPrimitives.ReadInt32LittleEndian(header[(i * 4)..]);
        }

        string values = $"dim={v[0]}, hidden_dim={v[1]}, n_layers={v[2]}, n_heads={v[3]}, n_kv_heads={v[4]}, vocab_size={v[5]}, seq_len={v[6]}";
        ReadOnlySpan<string> names = ["dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"];
        for (int i = 0; i < 7; i++)
        {
            // vocab_size may be negative (unshared classifier), never zero.
            bool bad = i == 5 ? v[i] == 0 || v[i] == int.MinValue : v[i] <= 0;
            if (bad)
            {
                throw new ModelFormatException(path, $"The checkpoint header has an invalid {names[i]} ({values}); this is not a llama2.c checkpoint or it is corrupt.");
            }
        }

        const int Limit = 1 << 24;
        for (int i = 0; i < 7; i++)
        {
            if (Math.Abs(v[i]) > Limit)
            {
                throw new ModelFormatException(path, $"The checkpoint header has an implausibly large {names[i]} ({values}); this is not a llama2.c checkpoint or it is corrupt.");
            }
        }

        if (v[0] % v[3] != 0 || (v[0] / v[3]) % 2 != 0)
        {
            throw new ModelFormatException(path, $"The checkpoint header's dim must be a multiple of n_heads with an even head size ({values}).");
        }

        if (v[4] > v[3] || v[3] % v[4] != 0)
        {
            throw new ModelFormatException(path, $"The checkpoint header's n_heads must be a multiple of n_kv_heads ({values}).");
        }

        var config = new Llama2cConfig
        {
            Dim = v[0],
            HiddenDim = v[1],
            Layers = v[2],
            Heads = v[3],
            KvHeads = v[4],
            VocabularySize = Math.Abs(v[5]),
            SequenceLength = v[6],
            SharedClassifier = v[5] > 0,
        };
        config.CheckSizes(path, values);
        return config;
    }

    /// <summary>
    /// Checks, in checked arithmetic, that the weights fit one checkpoint file and a sequence's KV cache stays within
    /// <see cref="MaxKvCacheFloats"/>: each field is bounded alone, but their products are what get allocated.
    /// </summary>
    private void CheckSizes(string path, string values)
    {
        long weights;
        try
        {
            weights = WeightCount;
        }
        catch (OverflowException)
        {
            weights = long.MaxValue;
        }

        if (weights > (Array.MaxLength - HeaderBytes) / sizeof(float))
        {
            throw new ModelFormatException(path, $"The checkpoint header describes more weights than a checkpoint file can hold (dim, hidden_dim, n_layers and vocab_size multiply to over {(Array.MaxLength - HeaderBytes) / sizeof(float):N0} floats; {values}); the file is corrupt or not a llama2.c checkpoint.");
        }

        // With the weights bounded, n_layers × kv_dim ≤ 2^29, so this product cannot overflow.
        long kvCache = (long)Layers * KvDim * Llama2cKernels.Pad(SequenceLength);
        if (kvCache > MaxKvCacheFloats)
        {
            throw new ModelFormatException(path, $"The checkpoint header's seq_len with n_layers, n_kv_heads and head size asks for a KV cache of {kvCache:N0} floats per sequence (n_layers × n_kv_heads × head_size × seq_len), above the limit of {MaxKvCacheFloats:N0} ({values}).");
        }
    }
}
