using System.Buffers;
using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Llama2c;

/// <summary>
/// A llama2.c checkpoint (Llama-2 architecture, fp32) run on the CPU in managed code. The weights are immutable and
/// shared; every sequence owns its KV cache and scratch buffers, so one model serves many threads at once.
/// </summary>
public sealed class Llama2cModel : ILanguageModel
{
    private readonly Llama2cWeights _weights;
    private readonly Llama2cConfig _config;
    private readonly Llama2cTokenizer _tokenizer;
    private readonly Llama2cBatchThreading _batchThreading;
    private readonly float _attentionScale;
    private readonly Lock _workerLock = new();
    private Llama2cBatchWorker? _worker;
    private volatile bool _disposed;

    private Llama2cModel(Llama2cWeights weights, Llama2cTokenizer tokenizer, string modelId, Llama2cBatchThreading batchThreading)
    {
        _weights = weights;
        _config = weights.Config;
        _tokenizer = tokenizer;
        _batchThreading = batchThreading;
        _attentionScale = 1f / MathF.Sqrt(_config.HeadSize);
        Layout = new Llama2cLayout(weights);
        Info = new ModelInfo
        {
            ModelId = modelId,
            VocabularySize = _config.VocabularySize,
            ContextLength = _config.SequenceLength,
            BosTokenId = Llama2cTokenizer.BosTokenId,
            EosTokenIds = [Llama2cTokenizer.EosTokenId],
            Family = "llama",
            Runtime = Llama2cModelLoader.RuntimeName,
            IsChatModel = false,
        };
    }

    /// <inheritdoc />
    public ModelInfo Info { get; }

    /// <inheritdoc />
    public ITokenizer Tokenizer => _tokenizer;

    /// <summary>Gets the checkpoint's hyperparameters.</summary>
    public Llama2cConfig Config => _config;

    internal Llama2cLayout Layout { get; }

    /// <summary>Loads a llama2.c checkpoint and its tokenizer.</summary>
    /// <param name="checkpointPath">The legacy llama2.c <c>.bin</c> checkpoint (7 × int32 header, fp32 weights).</param>
    /// <param name="tokenizerPath">The llama2.c tokenizer (<c>tokenizer.bin</c>, <c>tok512.bin</c>, ...).</param>
    /// <param name="options">Loading options.</param>
    /// <exception cref="ModelFormatException">A file is missing, truncated, corrupt, or the two disagree on the vocabulary size.</exception>
    public static Llama2cModel Load(string checkpointPath, string tokenizerPath, Llama2cModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentException.ThrowIfNullOrEmpty(tokenizerPath);
        options ??= new Llama2cModelOptions();
        Llama2cWeights weights = Llama2cWeights.Load(checkpointPath);
        Llama2cTokenizer tokenizer = Llama2cTokenizer.Load(tokenizerPath);
        if (tokenizer.VocabularySize != weights.Config.VocabularySize)
        {
            throw new ModelFormatException(tokenizerPath, $"The tokenizer holds {tokenizer.VocabularySize} tokens but the checkpoint {checkpointPath} has a vocabulary of {weights.Config.VocabularySize}; they do not belong together.");
        }

        string modelId = options.ModelId ?? Path.GetFileNameWithoutExtension(checkpointPath);
        return new Llama2cModel(weights, tokenizer, modelId, options.BatchThreading);
    }

    /// <inheritdoc />
    public IModelSequence CreateSequence() => new Llama2cSequence(this, Layout);

    /// <inheritdoc />
    public void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens)
    {
        if (sequences.Length != tokens.Length)
        {
            throw new ArgumentException($"{sequences.Length} sequences but {tokens.Length} tokens; give one token per sequence.", nameof(tokens));
        }

        if (sequences.IsEmpty)
        {
            return;
        }

        Llama2cSequence[] group = ArrayPool<Llama2cSequence>.Shared.Rent(sequences.Length);
        try
        {
            for (int i = 0; i < sequences.Length; i++)
            {
                if (sequences[i] is not Llama2cSequence sequence || !ReferenceEquals(sequence.Model, this))
                {
                    throw new ArgumentException($"Sequence {i} was not created by this model.", nameof(sequences));
                }

                sequence.ThrowIfDisposed();
                for (int j = 0; j < i; j++)
                {
                    if (ReferenceEquals(group[j], sequence))
                    {
                        throw new ArgumentException($"Sequence {i} appears twice in the batch.", nameof(sequences));
                    }
                }

                CheckTokens(tokens.Slice(i, 1), sequence.Position);
                group[i] = sequence;
            }

            int count = sequences.Length;
            if (count >= 2 && _batchThreading == Llama2cBatchThreading.Split)
            {
                ForwardSplit(group.AsSpan(0, count), tokens);
            }
            else
            {
                ForwardStep(group.AsSpan(0, count), tokens);
            }

            for (int i = 0; i < sequences.Length; i++)
            {
                group[i].SetHasLogits();
            }
        }
        finally
        {
            Array.Clear(group, 0, sequences.Length);
            ArrayPool<Llama2cSequence>.Shared.Return(group);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The weights are managed arrays; only the batch worker's thread needs stopping.
        Llama2cBatchWorker? worker;
        lock (_workerLock)
        {
            _disposed = true;
            worker = _worker;
        }

        worker?.Stop();
    }

    internal void CheckTokens(ReadOnlySpan<int> tokens, int position)
    {
        if (position + tokens.Length > _config.SequenceLength)
        {
            throw new ContextLengthExceededException(position + tokens.Length, _config.SequenceLength);
        }

        foreach (int token in tokens)
        {
            if ((uint)token >= (uint)_config.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token id {token} is outside the vocabulary of {_config.VocabularySize}.");
            }
        }
    }

    /// <summary>Advances each sequence by its token and computes its logits.</summary>
    internal void ForwardStep(ReadOnlySpan<Llama2cSequence> group, ReadOnlySpan<int> tokens) => Forward(group, tokens, computeLogits: true);

    internal void Prefill(Llama2cSequence sequence, ReadOnlySpan<int> tokens)
    {
        ReadOnlySpan<Llama2cSequence> group = new(ref sequence);
        for (int i = 0; i < tokens.Length; i++)
        {
            // Only the last position's logits are wanted: the others just fill the KV cache.
            Forward(group, tokens.Slice(i, 1), computeLogits: i == tokens.Length - 1);
        }
    }

    /// <summary>Advances every sequence of <paramref name="group"/> by its token, layer by layer, sharing each weight pass.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Forward(ReadOnlySpan<Llama2cSequence> group, ReadOnlySpan<int> tokens, bool computeLogits)
    {
        Embed(group, tokens);
        for (int l = 0; l < _config.Layers; l++)
        {
            Layer(group, l);
        }

        Complete(group, computeLogits);
    }

    /// <summary>
    /// Runs a batch split across the caller and the model's worker thread. The caller starts on its half; before each
    /// later layer it checks whether the worker has picked up the other half, and if not, takes it back: it brings that
    /// half up to the same layer and continues with the whole batch in one pass, losing only the catch-up.
    /// </summary>
    private void ForwardSplit(ReadOnlySpan<Llama2cSequence> group, ReadOnlySpan<int> tokens)
    {
        Llama2cBatchWorker? worker = Worker();
        if (worker is null || !worker.TryAcquire())
        {
            // Another batch (a concurrent request) holds the worker, or the model is disposed.
            ForwardStep(group, tokens);
            return;
        }

        // The caller takes the larger half: it starts at once, the worker a moment later.
        int split = (group.Length + 1) / 2;
        ReadOnlySpan<Llama2cSequence> mine = group[..split], theirs = group[split..];
        worker.Offer(theirs, tokens[split..]);
        bool merged = false;
        try
        {
            Embed(mine, tokens[..split]);
            for (int l = 0; l < _config.Layers; l++)
            {
                if (!merged && l > 0 && worker.TryClaim())
                {
                    merged = true;
                    Embed(theirs, tokens[split..]);
                    for (int k = 0; k < l; k++)
                    {
                        Layer(theirs, k);
                    }
                }

                Layer(merged ? group : mine, l);
            }

            Complete(merged ? group : mine, computeLogits: true);
        }
        finally
        {
            worker.Complete(claimedByCaller: merged);
        }
    }

    /// <summary>Gets the batch worker, starting its thread on first use; <see langword="null"/> once the model is disposed.</summary>
    private Llama2cBatchWorker? Worker()
    {
        Llama2cBatchWorker? worker = Volatile.Read(ref _worker);
        if (worker is not null || _disposed)
        {
            return _disposed ? null : worker;
        }

        lock (_workerLock)
        {
            return _disposed ? null : _worker ??= new Llama2cBatchWorker(this);
        }
    }

    private void Embed(ReadOnlySpan<Llama2cSequence> group, ReadOnlySpan<int> tokens)
    {
        int dim = _config.Dim;
        for (int s = 0; s < group.Length; s++)
        {
            _weights.Embedding.AsSpan(tokens[s] * dim, dim).CopyTo(group[s].Scratch.AsSpan(Layout.X, dim));
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Layer(ReadOnlySpan<Llama2cSequence> group, int layer)
    {
        Llama2cWeights w = _weights;
        Llama2cLayout layout = Layout;
        int dim = _config.Dim, hidden = _config.HiddenDim;
        ReadOnlySpan<float> rmsAttention = w.RmsAttention.AsSpan(layer * dim, dim);
        foreach (Llama2cSequence sequence in group)
        {
            float[] scratch = sequence.Scratch;
            Llama2cKernels.RmsNorm(scratch.AsSpan(layout.Xb, dim), scratch.AsSpan(layout.X, dim), rmsAttention);
        }

        Project(group, w.Qkv.AsSpan(layer * w.QkvSize, w.QkvSize), dim, layout.Xb, layout.Qkv, w.QkvRows);
        foreach (Llama2cSequence sequence in group)
        {
            Attend(sequence, layer);
        }

        Project(group, w.Output.AsSpan(layer * w.OutputSize, w.OutputSize), dim, layout.Xb, layout.Xb2, w.DimRows);
        ReadOnlySpan<float> rmsFeedForward = w.RmsFeedForward.AsSpan(layer * dim, dim);
        foreach (Llama2cSequence sequence in group)
        {
            float[] scratch = sequence.Scratch;
            Span<float> x = scratch.AsSpan(layout.X, dim);
            Llama2cKernels.AddInPlace(x, scratch.AsSpan(layout.Xb2, dim));
            Llama2cKernels.RmsNorm(scratch.AsSpan(layout.Xb, dim), x, rmsFeedForward);
        }

        Project(group, w.Gate.AsSpan(layer * w.GateSize, w.GateSize), dim, layout.Xb, layout.Gate, 2 * w.HiddenRows);
        foreach (Llama2cSequence sequence in group)
        {
            float[] scratch = sequence.Scratch;
            Llama2cKernels.SwiGlu(scratch.AsSpan(layout.Gate, hidden), scratch.AsSpan(layout.Gate + w.HiddenRows, hidden), scratch.AsSpan(layout.Hidden, hidden));
        }

        Project(group, w.Down.AsSpan(layer * w.DownSize, w.DownSize), hidden, layout.Hidden, layout.Xb2, w.DimRows);
        foreach (Llama2cSequence sequence in group)
        {
            Llama2cKernels.AddInPlace(sequence.Scratch.AsSpan(layout.X, dim), sequence.Scratch.AsSpan(layout.Xb2, dim));
        }
    }

    private void Complete(ReadOnlySpan<Llama2cSequence> group, bool computeLogits)
    {
        Llama2cWeights w = _weights;
        Llama2cLayout layout = Layout;
        int dim = _config.Dim;
        foreach (Llama2cSequence sequence in group)
        {
            sequence.Position++;
        }

        if (!computeLogits)
        {
            return;
        }

        foreach (Llama2cSequence sequence in group)
        {
            float[] scratch = sequence.Scratch;
            Llama2cKernels.RmsNorm(scratch.AsSpan(layout.Xb, dim), scratch.AsSpan(layout.X, dim), w.RmsFinal);
        }

        Project(group, w.Classifier, dim, layout.Xb, layout.LogitsOffset, Llama2cKernels.Pad(_config.VocabularySize));
    }

    // out = W · in for every sequence of the group; each pass over W serves up to four sequences.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Project(ReadOnlySpan<Llama2cSequence> group, ReadOnlySpan<float> panels, int columns, int input, int output, int rows)
    {
        int s = 0;
        for (; s + 4 <= group.Length; s += 4)
        {
            float[] a = group[s].Scratch, b = group[s + 1].Scratch, c = group[s + 2].Scratch, d = group[s + 3].Scratch;
            Llama2cMatVec.Multiply4(
                panels,
                columns,
                a.AsSpan(input, columns),
                b.AsSpan(input, columns),
                c.AsSpan(input, columns),
                d.AsSpan(input, columns),
                a.AsSpan(output, rows),
                b.AsSpan(output, rows),
                c.AsSpan(output, rows),
                d.AsSpan(output, rows));
        }

        for (; s + 2 <= group.Length; s += 2)
        {
            float[] a = group[s].Scratch, b = group[s + 1].Scratch;
            Llama2cMatVec.Multiply2(panels, columns, a.AsSpan(input, columns), b.AsSpan(input, columns), a.AsSpan(output, rows), b.AsSpan(output, rows));
        }

        if (s < group.Length)
        {
            float[] a = group[s].Scratch;
            Llama2cMatVec.Multiply(panels, columns, a.AsSpan(input, columns), a.AsSpan(output, rows));
        }
    }

    // RoPE on q and k, append k and v to the cache, then attention of every head over positions 0..pos into xb.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Attend(Llama2cSequence sequence, int layer)
    {
        Llama2cConfig c = _config;
        Llama2cLayout layout = Layout;
        int dim = c.Dim, kvDim = c.KvDim, headSize = c.HeadSize, half = headSize / 2;
        int pos = sequence.Position;
        float[] scratch = sequence.Scratch;
        Span<float> q = scratch.AsSpan(layout.Qkv, dim);
        Span<float> k = scratch.AsSpan(layout.Qkv + _weights.DimRows, kvDim);
        Span<float> v = scratch.AsSpan(layout.Qkv + _weights.DimRows + _weights.KvRows, kvDim);

        ReadOnlySpan<float> cos = _weights.RopeCos.AsSpan(pos * half, half);
        ReadOnlySpan<float> sin = _weights.RopeSin.AsSpan(pos * half, half);
        Rotate(q, cos, sin, headSize, _attentionScale);
        Rotate(k, cos, sin, headSize, 1f);

        int stride = layout.SequenceStride;
        int kvHeads = c.KvHeads;
        float[] keys = sequence.Keys, values = sequence.Values;
        for (int g = 0; g < kvHeads; g++)
        {
            // Both caches are [layer][kv head][head dim][position]: each head dimension is a row of positions.
            int cacheBase = (((layer * kvHeads) + g) * headSize * stride) + pos;
            for (int i = 0; i < headSize; i++)
            {
                keys[cacheBase + (i * stride)] = k[(g * headSize) + i];
                values[cacheBase + (i * stride)] = v[(g * headSize) + i];
            }
        }

        int count = pos + 1;
        int kvMul = c.Heads / kvHeads;
        Span<float> attention = scratch.AsSpan(layout.Attention, stride);
        Span<float> output = scratch.AsSpan(layout.Xb, dim);
        if (kvMul == 2 && headSize == 8 && Llama2cAttention.IsSupported)
        {
            Span<float> pairScores = scratch.AsSpan(layout.Attention, 2 * stride);
            for (int g = 0; g < kvHeads; g++)
            {
                int cacheBase = ((layer * kvHeads) + g) * headSize * stride;
                Llama2cAttention.AttendPair(q.Slice(g * 16, 16), keys.AsSpan(cacheBase, headSize * stride), values.AsSpan(cacheBase, headSize * stride), stride, count, pairScores, output.Slice(g * 16, 16));
            }

            return;
        }

        for (int h = 0; h < c.Heads; h++)
        {
            int cacheBase = ((layer * kvHeads) + (h / kvMul)) * headSize * stride;
            ReadOnlySpan<float> headKeys = keys.AsSpan(cacheBase, headSize * stride);
            ReadOnlySpan<float> headValues = values.AsSpan(cacheBase, headSize * stride);
            Llama2cKernels.Scores(q.Slice(h * headSize, headSize), headKeys, stride, count, attention);
            float sum = Llama2cKernels.ExpNormalize(attention, count);
            Llama2cKernels.WeightedValues(attention, count, headValues, stride, 1f / sum, output.Slice(h * headSize, headSize));
        }
    }

    // Rotates each (even, odd) pair of every head by the position's angle, as run.c does, then scales (q carries
    // the 1/sqrt(head_size) of the attention scores, so the score loop has no extra multiply).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Rotate(Span<float> vector, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, int headSize, float scale)
    {
        for (int head = 0; head < vector.Length; head += headSize)
        {
            for (int pair = 0; pair < cos.Length; pair++)
            {
                int i = head + (2 * pair);
                float v0 = vector[i];
                float v1 = vector[i + 1];
                vector[i] = ((v0 * cos[pair]) - (v1 * sin[pair])) * scale;
                vector[i + 1] = ((v0 * sin[pair]) + (v1 * cos[pair])) * scale;
            }
        }
    }
}
