using System.Numerics.Tensors;
using System.Runtime.InteropServices;
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
    private readonly GeneratorHandle _generator;
    private readonly int _vocabulary;
    private readonly int[] _lengths;

    // Each row's tokens, kept for the rare re-prefill a batched generator needs to step through an EOS id.
    private readonly List<int>[] _history;
    private readonly float[] _logits;
    private readonly int[] _endOfSequence;
    private int _released;
    private bool _holdsModel;

    // SetLogits input: a tensor over a pinned buffer of GetLogits' element type, created on the first step.
    private byte[]? _forced;
    private int[] _forcedAt = [];
    private TensorHandle? _forcedTensor;
    private NativeMethods.ElementType _logitsType;
    private bool _hasLogits;

    private GeneratorGroup(OnnxModel model, GeneratorHandle generator, int rows)
    {
        _model = model;
        _generator = generator;
        _vocabulary = model.Info.VocabularySize;
        _lengths = new int[rows];
        _history = new List<int>[rows];
        _logits = new float[rows * _vocabulary];
        _endOfSequence = [.. model.Info.EosTokenIds];

        // GenAI generators use their model: keep the native model alive until this generator is gone.
        model.Handle.DangerousAddRef(ref _holdsModel);
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

        GeneratorHandle generator = model.CreateGenerator(contexts.Count);
        var group = new GeneratorGroup(model, generator, contexts.Count);
        try
        {
            if (contexts.Count == 1)
            {
                int[] ids = [.. contexts[0]];
                fixed (int* p = ids)
                {
                    NativeMethods.Check(NativeMethods.OgaGenerator_AppendTokens(generator, p, (nuint)ids.Length), "GenAI could not run the prompt");
                }
            }
            else
            {
                AppendSequences(generator, contexts);
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
                AppendNative(tokens);
            }
            else
            {
                NativeMethods.Check(NativeMethods.OgaGenerator_RewindTo(_generator, 0), "GenAI could not restart the generator");
                AppendSequences(_generator, _history);
            }
        }
        else
        {
            Force(tokens);
            NativeMethods.Check(NativeMethods.OgaGenerator_SetLogits(_generator, _forcedTensor!), "GenAI rejected the logits");
            NativeMethods.Check(NativeMethods.OgaGenerator_GenerateNextToken(_generator), "GenAI could not append the token");
        }

        for (int r = 0; r < Rows; r++)
        {
            _lengths[r]++;
        }

        ReadLogits();
    }

    private static void AppendSequences(GeneratorHandle generator, IReadOnlyList<IReadOnlyList<int>> rows)
    {
        NativeMethods.Check(NativeMethods.OgaCreateSequences(out nint raw), "GenAI could not create a token sequence list");
        using var sequences = new SequencesHandle(raw);
        foreach (IReadOnlyList<int> row in rows)
        {
            int[] ids = [.. row];
            fixed (int* p = ids)
            {
                NativeMethods.Check(NativeMethods.OgaAppendTokenSequence(p, (nuint)ids.Length, sequences), "GenAI could not add a prompt");
            }
        }

        NativeMethods.Check(NativeMethods.OgaGenerator_AppendTokenSequences(generator, sequences), "GenAI could not run the prompts");
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
                NativeMethods.Check(NativeMethods.OgaGenerator_RewindTo(_generator, (nuint)before), "GenAI could not undo a rejected append");
            }
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            AppendTokens(tokens.Slice(i, 1));
        }
    }

    private void AppendTokens(ReadOnlySpan<int> tokens)
    {
        AppendNative(tokens);
        _lengths[0] += tokens.Length;
        _history[0].AddRange(tokens);
        ReadLogits();
    }

    private void AppendNative(ReadOnlySpan<int> tokens)
    {
        fixed (int* p = tokens)
        {
            NativeMethods.Check(NativeMethods.OgaGenerator_AppendTokens(_generator, p, (nuint)tokens.Length), "GenAI could not append the tokens");
        }
    }

    /// <summary>Truncates a one-row generator; logits come back with the next append.</summary>
    public void Rewind(int length)
    {
        ThrowIfDisposed();
        NativeMethods.Check(NativeMethods.OgaGenerator_RewindTo(_generator, (nuint)length), "GenAI could not rewind the generator");
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
        _forcedTensor?.Dispose();
        _generator.Dispose();
        if (_holdsModel)
        {
            _holdsModel = false;
            _model.Handle.DangerousRelease();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_generator.IsClosed, this);

    /// <summary>Copies GenAI's logits ([rows, vocab] or [rows, 1, vocab]) into the rows' float buffers.</summary>
    private void ReadLogits()
    {
        _model.CountRun();
        NativeMethods.Check(NativeMethods.OgaGenerator_GetLogits(_generator, out nint tensor), "GenAI could not compute the logits");

        // A raw pointer, destroyed below: this runs once per step, and a SafeHandle would allocate every token.
        try
        {
            // Type and shape are fixed for a generator: checked on its first logits, then only the data is read.
            if (_forcedTensor is null)
            {
                CheckLogitsTensor(tensor);
            }

            NativeMethods.Check(NativeMethods.OgaTensorGetData(tensor, out void* data), "GenAI logits");
            int count = Rows * _vocabulary;
            switch (_logitsType)
            {
                case NativeMethods.ElementType.Float32:
                    new ReadOnlySpan<float>(data, count).CopyTo(_logits);
                    break;
                case NativeMethods.ElementType.Float16:
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(data, count), _logits);
                    break;
                default:
                    throw new OnnxRuntimeException($"GenAI returned logits of element type {_logitsType}; expected float32 or float16.");
            }

            _hasLogits = true;
        }
        finally
        {
            NativeMethods.OgaDestroyTensor(tensor);
        }
    }

    private void CheckLogitsTensor(nint tensor)
    {
        NativeMethods.Check(NativeMethods.OgaTensorGetType(tensor, out NativeMethods.ElementType type), "GenAI logits");
        NativeMethods.Check(NativeMethods.OgaTensorGetShapeRank(tensor, out nuint rank), "GenAI logits");
        Span<long> shape = stackalloc long[8];
        if (rank is < 2 or > 8)
        {
            throw new OnnxRuntimeException($"GenAI returned logits of rank {rank}; expected [batch, vocabulary].");
        }

        fixed (long* s = shape)
        {
            NativeMethods.Check(NativeMethods.OgaTensorGetShape(tensor, s, rank), "GenAI logits");
        }

        long elements = 1;
        for (int i = 0; i < (int)rank; i++)
        {
            elements *= shape[i];
        }

        if (shape[0] != Rows || shape[(int)rank - 1] != _vocabulary || elements != (long)Rows * _vocabulary)
        {
            throw new OnnxRuntimeException($"GenAI returned logits of shape [{string.Join(", ", shape[..(int)rank].ToArray())}]; expected {Rows} rows of {_vocabulary} (model.vocab_size).");
        }

        _logitsType = type;
        CreateForcedTensor((int)rank, shape[..(int)rank]);
    }

    private void CreateForcedTensor(int rank, ReadOnlySpan<long> shape)
    {
        int elementSize = _logitsType == NativeMethods.ElementType.Float16 ? 2 : 4;
        _forced = GC.AllocateArray<byte>(Rows * _vocabulary * elementSize, pinned: true);
        if (_logitsType == NativeMethods.ElementType.Float16)
        {
            MemoryMarshal.Cast<byte, Half>(_forced.AsSpan()).Fill(Half.NegativeInfinity);
        }
        else
        {
            MemoryMarshal.Cast<byte, float>(_forced.AsSpan()).Fill(float.NegativeInfinity);
        }

        _forcedAt = new int[Rows];
        Array.Fill(_forcedAt, -1);
        fixed (long* s = shape)
        {
            NativeMethods.Check(
                NativeMethods.OgaCreateTensorFromBuffer((byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_forced, 0), s, (nuint)rank, _logitsType, out nint tensor),
                "GenAI could not create the logits tensor");
            _forcedTensor = new TensorHandle(tensor);
        }
    }

    /// <summary>
    /// Makes each row's token the only finite logit (0 among −∞): the unique maximum, whatever the search. The buffer is
    /// −∞ from its creation, so a step only moves one 0 per row instead of rewriting rows × vocabulary values.
    /// </summary>
    private void Force(ReadOnlySpan<int> tokens)
    {
        if (_logitsType == NativeMethods.ElementType.Float16)
        {
            Span<Half> values = MemoryMarshal.Cast<byte, Half>(_forced.AsSpan());
            for (int r = 0; r < Rows; r++)
            {
                if (_forcedAt[r] >= 0)
                {
                    values[_forcedAt[r]] = Half.NegativeInfinity;
                }

                _forcedAt[r] = (r * _vocabulary) + tokens[r];
                values[_forcedAt[r]] = Half.Zero;
            }
        }
        else
        {
            Span<float> values = MemoryMarshal.Cast<byte, float>(_forced.AsSpan());
            for (int r = 0; r < Rows; r++)
            {
                if (_forcedAt[r] >= 0)
                {
                    values[_forcedAt[r]] = float.NegativeInfinity;
                }

                _forcedAt[r] = (r * _vocabulary) + tokens[r];
                values[_forcedAt[r]] = 0f;
            }
        }
    }
}
