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
    private readonly bool _parallelBatch;
    private readonly float _attentionScale;

    private Llama2cModel(Llama2cWeights weights, Llama2cTokenizer tokenizer, string modelId, bool parallelBatch)
    {
        _weights = weights;
        _config = weights.Config;
        _tokenizer = tokenizer;
        _parallelBatch = parallelBatch;
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
        return new Llama2cModel(weights, tokenizer, modelId, options.ParallelBatch);
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

            Forward(group.AsSpan(0, sequences.Length), tokens, computeLogits: true);
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
        // The weights are managed arrays: nothing to release.
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
    private void Forward(ReadOnlySpan<Llama2cSequence> group, ReadOnlySpan<int> tokens, bool computeLogits)
    {
        Llama2cConfig c = _config;
        Llama2cWeights w = _weights;
        Llama2cLayout layout = Layout;
        int dim = c.Dim, hidden = c.HiddenDim;

        for (int s = 0; s < group.Length; s++)
        {
            w.Embedding.AsSpan(tokens[s] * dim, dim).CopyTo(group[s].Scratch.AsSpan(layout.X, dim));
        }

        for (int l = 0; l < c.Layers; l++)
        {
            ReadOnlySpan<float> rmsAttention = w.RmsAttention.AsSpan(l * dim, dim);
            foreach (Llama2cSequence sequence in group)
            {
                float[] scratch = sequence.Scratch;
                Llama2cKernels.RmsNorm(scratch.AsSpan(layout.Xb, dim), scratch.AsSpan(layout.X, dim), rmsAttention);
            }

            Project(group, w.Qkv.AsSpan(l * w.QkvRows * w.DimStride, w.QkvRows * w.DimStride), w.DimStride, layout.Xb, layout.Qkv, w.QkvRows);
            foreach (Llama2cSequence sequence in group)
            {
                Attend(sequence, l);
            }

            Project(group, w.Output.AsSpan(l * dim * w.DimStride, dim * w.DimStride), w.DimStride, layout.Xb, layout.Xb2, dim);
            ReadOnlySpan<float> rmsFeedForward = w.RmsFeedForward.AsSpan(l * dim, dim);
            foreach (Llama2cSequence sequence in group)
            {
                float[] scratch = sequence.Scratch;
                Span<float> x = scratch.AsSpan(layout.X, dim);
                System.Numerics.Tensors.TensorPrimitives.Add(x, scratch.AsSpan(layout.Xb2, dim), x);
                Llama2cKernels.RmsNorm(scratch.AsSpan(layout.Xb, dim), x, rmsFeedForward);
            }

            Project(group, w.Gate.AsSpan(l * 2 * hidden * w.DimStride, 2 * hidden * w.DimStride), w.DimStride, layout.Xb, layout.Gate, 2 * hidden);
            foreach (Llama2cSequence sequence in group)
            {
                float[] scratch = sequence.Scratch;
                Llama2cKernels.SwiGlu(scratch.AsSpan(layout.Gate, hidden), scratch.AsSpan(layout.Gate + hidden, hidden), scratch.AsSpan(layout.Hidden, hidden));
            }

            Project(group, w.Down.AsSpan(l * dim * w.HiddenStride, dim * w.HiddenStride), w.HiddenStride, layout.Hidden, layout.Xb2, dim);
            foreach (Llama2cSequence sequence in group)
            {
                Span<float> x = sequence.Scratch.AsSpan(layout.X, dim);
                System.Numerics.Tensors.TensorPrimitives.Add(x, sequence.Scratch.AsSpan(layout.Xb2, dim), x);
            }
        }

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

        Project(group, w.Classifier, w.DimStride, layout.Xb, layout.LogitsOffset, c.VocabularySize);
    }

    // out = W · in for every sequence of the group, two sequences per pass over W.
    private static void Project(ReadOnlySpan<Llama2cSequence> group, ReadOnlySpan<float> matrix, int stride, int input, int output, int rows)
    {
        int s = 0;
        for (; s + 2 <= group.Length; s += 2)
        {
            float[] a = group[s].Scratch, b = group[s + 1].Scratch;
            Llama2cKernels.MatVec2(matrix, stride, a.AsSpan(input, stride), b.AsSpan(input, stride), a.AsSpan(output, rows), b.AsSpan(output, rows));
        }

        if (s < group.Length)
        {
            float[] a = group[s].Scratch;
            Llama2cKernels.MatVec(matrix, stride, a.AsSpan(input, stride), a.AsSpan(output, rows));
        }
    }

    // RoPE on q and k, append k and v to the cache, then attention of every head over positions 0..pos into xb.
    private void Attend(Llama2cSequence sequence, int layer)
    {
        Llama2cConfig c = _config;
        Llama2cLayout layout = Layout;
        int dim = c.Dim, kvDim = c.KvDim, headSize = c.HeadSize, half = headSize / 2;
        int pos = sequence.Position;
        float[] scratch = sequence.Scratch;
        Span<float> q = scratch.AsSpan(layout.Qkv, dim);
        Span<float> k = scratch.AsSpan(layout.Qkv + dim, kvDim);
        Span<float> v = scratch.AsSpan(layout.Qkv + dim + kvDim, kvDim);

        ReadOnlySpan<float> cos = _weights.RopeCos.AsSpan(pos * half, half);
        ReadOnlySpan<float> sin = _weights.RopeSin.AsSpan(pos * half, half);
        Rotate(q, cos, sin, headSize);
        Rotate(k, cos, sin, headSize);
        System.Numerics.Tensors.TensorPrimitives.Multiply(q, _attentionScale, q);

        int stride = layout.SequenceStride;
        int kvHeads = c.KvHeads;
        float[] keys = sequence.Keys, values = sequence.Values;
        for (int g = 0; g < kvHeads; g++)
        {
            long keyBase = (((long)layer * kvHeads) + g) * headSize * stride;
            for (int i = 0; i < headSize; i++)
            {
                keys[keyBase + (i * stride) + pos] = k[(g * headSize) + i];
            }

            long valueBase = ((((long)layer * kvHeads) + g) * c.SequenceLength * headSize) + ((long)pos * headSize);
            v.Slice(g * headSize, headSize).CopyTo(values.AsSpan((int)valueBase, headSize));
        }

        int count = pos + 1;
        int kvMul = c.Heads / kvHeads;
        Span<float> attention = scratch.AsSpan(layout.Attention, stride);
        Span<float> output = scratch.AsSpan(layout.Xb, dim);
        for (int h = 0; h < c.Heads; h++)
        {
            int g = h / kvMul;
            int keyBase = ((layer * kvHeads) + g) * headSize * stride;
            int valueBase = ((layer * kvHeads) + g) * c.SequenceLength * headSize;
            Llama2cKernels.Scores(q.Slice(h * headSize, headSize), keys.AsSpan(keyBase, headSize * stride), stride, count, attention);
            float sum = Llama2cKernels.ExpNormalize(attention[..count]);
            Llama2cKernels.WeightedValues(attention[..count], values.AsSpan(valueBase, count * headSize), 1f / sum, output.Slice(h * headSize, headSize));
        }
    }

    // Rotates each (even, odd) pair of every head by the position's angle, as run.c does.
    private static void Rotate(Span<float> vector, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, int headSize)
    {
        for (int head = 0; head < vector.Length; head += headSize)
        {
            for (int pair = 0; pair < cos.Length; pair++)
            {
                int i = head + (2 * pair);
                float v0 = vector[i];
                float v1 = vector[i + 1];
                vector[i] = (v0 * cos[pair]) - (v1 * sin[pair]);
                vector[i + 1] = (v0 * sin[pair]) + (v1 * cos[pair]);
            }
        }
    }
}
