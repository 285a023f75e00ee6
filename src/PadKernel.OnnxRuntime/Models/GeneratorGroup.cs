using System.Numerics.Tensors;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// One ONNX Runtime GenAI generator whose rows are PadKernel sequences. GenAI's own search appends every token and
/// keeps the KV cache: a step is <c>SetLogits</c> (the chosen token made the unique maximum of its row) →
/// <c>GenerateNextToken</c> (GenAI's greedy search appends it) → <c>GetLogits</c> (GenAI runs the model on it).
/// </summary>
/// <remarks>
/// The token is chosen before this class sees it, by the core's logits stage, once per step; forcing it through
/// SetLogits means every row receives exactly that token whatever GenAI's search settings say.
/// Rows are fixed when the generator starts (GenAI's batch size), so a group is prefilled once with every row's
/// context and then advances all rows together.
/// </remarks>
internal sealed unsafe class GeneratorGroup : IDisposable
{
    private readonly OnnxModel _model;
    private readonly OgaGenerator _generator;
    private readonly int _vocabulary;
    private readonly int[] _lengths;

    // Each row's tokens, kept for the rare re-prefill a batched generator needs to step through an EOS id.
    private readonly List<int>[] _history;
    private readonly float[] _logits;
    private readonly int[] _endOfSequence;
    private int _released;

    // Created on the first logits, with their element type and shape.
    private ForcedLogits? _forced;
    private OgaElementType _logitsType;
    private bool _hasLogits;

    private GeneratorGroup(OnnxModel model, OgaGenerator generator, int rows)
    {
        _model = model;
        _generator = generator;
        _vocabulary = model.Info.VocabularySize;
        _lengths = new int[rows];
        _history = new List<int>[rows];
        _logits = new float[rows * _vocabulary];
        _endOfSequence = [.. model.Info.EosTokenIds];
    }

    public int Rows => _lengths.Length;

    public bool HasLogits => _hasLogits;

    public int Length(int row) => _lengths[row];

    public ReadOnlySpan<float> Logits(int row) => _logits.AsSpan(row * _vocabulary, _vocabulary);

    /// <summary>Starts a generator with one row per context and runs the prompts.</summary>
    public static GeneratorGroup Start(OnnxModel model, IReadOnlyList<IReadOnlyList<int>> contexts)
    {
        foreach (IReadOnlyList<int> context in contexts)
        {
            model.CheckTokens([.. context]);
            if (context.Count == 0 || context.Count > model.Info.ContextLength)
            {
                throw context.Count == 0
                    ? new ArgumentException("A context needs at least one token.", nameof(contexts))
                    : new ContextLengthExceededException(context.Count, model.Info.ContextLength);
            }
        }

        var group = new GeneratorGroup(model, model.CreateGenerator(contexts.Count), contexts.Count);
        try
        {
            if (contexts.Count == 1)
            {
                group._generator.AppendTokens([.. contexts[0]]);
            }
            else
            {
                AppendSequences(group._generator, contexts);
            }

            for (int r = 0; r < contexts.Count; r++)
            {
                group._lengths[r] = contexts[r].Count;
                group._history[r] = new List<int>(Math.Min(model.Info.ContextLength, contexts[r].Count + 256));
                group._history[r].AddRange(contexts[r]);
            }

            group.ReadLogits();
            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>Appends one token per row (<paramref name="tokens"/> in row order) and computes the next logits.</summary>
    public void Step(ReadOnlySpan<int> tokens)
    {
        ThrowIfDisposed();
        if (!_hasLogits)
        {
            throw new InvalidOperationException("The generator has no pending logits (a previous step failed); start a new sequence.");
        }

        for (int r = 0; r < Rows; r++)
        {
            if (_lengths[r] + 1 > _model.Info.ContextLength)
            {
                throw new ContextLengthExceededException(_lengths[r] + 1, _model.Info.ContextLength);
            }
        }

        _model.CheckTokens(tokens);
        _hasLogits = false;
        for (int r = 0; r < Rows; r++)
        {
            _history[r].Add(tokens[r]);
        }

        if (tokens.ContainsAny(_endOfSequence))
        {
            // GenAI's search marks a row done at an EOS id and pads it from then on, but PadKernel decides when text
            // ends (IgnoreEndOfSequence keeps going). Such a step bypasses the search: one row appends the token
            // directly; a batched generator (which GenAI lets append only once) restarts from every row's tokens.
            if (Rows == 1)
            {
                _generator.AppendTokens(tokens);
            }
            else
            {
                _generator.RewindTo(0);
                AppendSequences(_generator, _history);
            }
        }
        else
        {
            _forced!.Force(tokens);
            _generator.SetLogits(_forced.Tensor);
            _generator.GenerateNextToken();
        }

        for (int r = 0; r < Rows; r++)
        {
            _lengths[r]++;
        }

        ReadLogits();
    }

    /// <summary>Appends several tokens to a one-row generator (a continued prefill) and computes the next logits.</summary>
    public void Append(ReadOnlySpan<int> tokens)
    {
        ThrowIfDisposed();
        if (_lengths[0] + tokens.Length > _model.Info.ContextLength)
        {
            throw new ContextLengthExceededException(_lengths[0] + tokens.Length, _model.Info.ContextLength);
        }

        _model.CheckTokens(tokens);
        _hasLogits = false;
        int before = _lengths[0];
        if (tokens.Length == 1 || !_model.ChunkedAppendRejected)
        {
            try
            {
                AppendTokens(tokens);
                return;
            }
            catch (OnnxRuntimeException) when (tokens.Length > 1)
            {
                // Some exports (their attention-mask subgraph) take several new tokens only over an empty past;
                // such a model gets one token per run after its prompt from now on.
                _model.ChunkedAppendRejected = true;
                _generator.RewindTo(before);
            }
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            AppendTokens(tokens.Slice(i, 1));
        }
    }

    /// <summary>Truncates a one-row generator; logits come back with the next append.</summary>
    public void Rewind(int length)
    {
        ThrowIfDisposed();
        _generator.RewindTo(length);
        _lengths[0] = length;
        _history[0].RemoveRange(length, _history[0].Count - length);
        _hasLogits = false;
    }

    /// <summary>Called by each row's sequence when it is disposed; the generator goes when the last row does.</summary>
    public void Release()
    {
        if (Interlocked.Increment(ref _released) == Rows)
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        _forced?.Dispose();
        _generator.Dispose();
    }

    private static void AppendSequences(OgaGenerator generator, IReadOnlyList<IReadOnlyList<int>> rows)
    {
        using OgaSequences sequences = OgaSequences.Create(rows);
        generator.AppendTokenSequences(sequences);
    }

    private void AppendTokens(ReadOnlySpan<int> tokens)
    {
        _generator.AppendTokens(tokens);
        _lengths[0] += tokens.Length;
        _history[0].AddRange(tokens);
        ReadLogits();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_generator.IsClosed, this);

    /// <summary>Copies GenAI's logits ([rows, vocab] or [rows, 1, vocab]) into the rows' float buffers.</summary>
    private void ReadLogits()
    {
        _model.CountRun();
        using OgaTensorView logits = _generator.GetLogits();

        // Type and shape are fixed for a generator: checked on its first logits, then only the data is read.
        if (_forced is null)
        {
            CreateForcedLogits(logits);
        }

        int count = Rows * _vocabulary;
        switch (_logitsType)
        {
            case OgaElementType.Float32:
                new ReadOnlySpan<float>(logits.Data, count).CopyTo(_logits);
                break;
            case OgaElementType.Float16:
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(logits.Data, count), _logits);
                break;
        }

        _hasLogits = true;
    }

    /// <summary>Checks the first logits' type and shape, and creates the SetLogits input of the same type and shape.</summary>
    private void CreateForcedLogits(OgaTensorView logits)
    {
        OgaElementType type = logits.Type;
        long[] shape = logits.GetShape();
        if (type is not (OgaElementType.Float32 or OgaElementType.Float16))
        {
            throw new OnnxRuntimeException($"GenAI returned logits of element type {type}; expected float32 or float16.");
        }

        if (shape.Length < 2 || shape[0] != Rows || shape[^1] != _vocabulary || shape.Aggregate(1L, (a, b) => a * b) != (long)Rows * _vocabulary)
        {
            throw new OnnxRuntimeException($"GenAI returned logits of shape [{string.Join(", ", shape)}]; expected {Rows} rows of {_vocabulary} (model.vocab_size).");
        }

        _logitsType = type;
        _forced = new ForcedLogits(type, shape, Rows, _vocabulary);
    }
}
