using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Numerics.Tensors;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Native;
using PadKernel.Text;
using PadKernel.Tokenizers;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// A language model from an ONNX Runtime GenAI folder (<c>genai_config.json</c> + decoder <c>.onnx</c> + tokenizer),
/// run by ONNX Runtime with a per-sequence KV cache. Several sequences advance in one session run
/// (<see cref="DecodeBatch"/>), which is how PAD evaluates its base and reward contexts together.
/// </summary>
public sealed class OnnxModel : ILanguageModel
{
    private readonly InferenceSession session;
    private readonly nint[] inputNames;
    private readonly nint[] outputNames;
    private const long SmallModelBytes = 64L << 20;

    private long runCount;

    // Some GenAI exports (their attention-mask subgraph) accept several new tokens only when the past is empty;
    // once such a model rejects a chunked append, later appends after a non-empty past go one token per run.
    private volatile bool chunkedAppendRejected;

    private OnnxModel(string folder, GenAIConfig config, InferenceSession session, DecoderBinding binding, ITokenizer tokenizer, bool isChatModel, bool paddedBatches)
    {
        PaddedBatches = paddedBatches;
        Folder = folder;
        Config = config;
        this.session = session;
        Binding = binding;
        Tokenizer = tokenizer;
        Info = new ModelInfo
        {
            ModelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)),
            VocabularySize = config.VocabularySize,
            ContextLength = config.ContextLength,
            BosTokenId = config.BosTokenId,
            EosTokenIds = config.EosTokenIds,
            Family = config.ModelType,
            Runtime = OnnxModelLoader.RuntimeName,
            IsChatModel = isChatModel,
        };

        inputNames = new nint[session.Inputs.Count];
        for (int i = 0; i < inputNames.Length; i++)
        {
            inputNames[i] = session.InputNamePointer(i);
        }

        outputNames = new nint[1 + binding.Present.Length];
        outputNames[0] = session.OutputNamePointer(binding.Logits);
        for (int i = 0; i < binding.Present.Length; i++)
        {
            outputNames[1 + i] = session.OutputNamePointer(binding.Present[i]);
        }
    }

    /// <inheritdoc/>
    public ModelInfo Info { get; }

    /// <inheritdoc/>
    public ITokenizer Tokenizer { get; }

    /// <summary>Gets the model folder.</summary>
    public string Folder { get; }

    /// <summary>Gets the parsed <c>genai_config.json</c>.</summary>
    public GenAIConfig Config { get; }

    /// <summary>Gets the decoder's inputs as the session reports them.</summary>
    public IReadOnlyList<TensorInfo> Inputs => session.Inputs;

    /// <summary>Gets the decoder's outputs as the session reports them.</summary>
    public IReadOnlyList<TensorInfo> Outputs => session.Outputs;

    /// <summary>Gets the number of session runs (forward calls) made so far, for diagnostics and tests.</summary>
    public long RunCount => Interlocked.Read(ref runCount);

    internal DecoderBinding Binding { get; }

    /// <summary>Gets a value indicating whether sequences of different lengths can share a run (left-padded pasts).</summary>
    internal bool PaddedBatches { get; }

    /// <summary>Loads a GenAI model folder.</summary>
    /// <param name="folder">The folder holding <c>genai_config.json</c>.</param>
    /// <param name="options">Library, provider, threading and tokenizer options.</param>
    /// <exception cref="ModelFormatException">A file is missing or inconsistent; the message names the file and key.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The native ONNX Runtime library is missing.</exception>
    public static OnnxModel Load(string folder, OnnxRuntimeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new OnnxRuntimeOptions();
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelFormatException(folder, "model folder not found.");
        }

        GenAIConfig config = GenAIConfig.Load(folder);
        string configPath = Path.Combine(folder, GenAIConfig.FileName);
        string onnxPath = Path.Combine(folder, config.Decoder.FileName);
        if (!File.Exists(onnxPath))
        {
            throw new ModelFormatException(onnxPath, $"decoder file not found (named by key 'model.decoder.filename' in {configPath}).");
        }

        ITokenizer tokenizer = (options.TokenizerFactory ?? DefaultTokenizer)(folder);
        if (tokenizer.VocabularySize < config.VocabularySize)
        {
            throw new ModelFormatException(configPath, $"key 'model.vocab_size' is {config.VocabularySize}, but the tokenizer knows only {tokenizer.VocabularySize} tokens.");
        }

        var sessionOptions = new OnnxRuntimeOptions
        {
            NativeLibraryPath = options.NativeLibraryPath,
            ExecutionProvider = options.ExecutionProvider,
            DeviceId = options.DeviceId,
            GraphOptimizationLevel = options.GraphOptimizationLevel,
            IntraOpThreads = options.IntraOpThreads ?? config.Decoder.IntraOpThreads ?? DefaultIntraOpThreads(onnxPath),
            InterOpThreads = options.InterOpThreads ?? config.Decoder.InterOpThreads,
        };

        InferenceSession session;
        try
        {
            session = new InferenceSession(onnxPath, sessionOptions, config.Decoder.SessionConfigEntries, config.Decoder.LogId);
        }
        catch (OnnxRuntimeException ex) when (ex.ErrorCode is OnnxRuntimeErrorCode.InvalidProtobuf or OnnxRuntimeErrorCode.InvalidGraph or OnnxRuntimeErrorCode.NoSuchFile or OnnxRuntimeErrorCode.Fail)
        {
            throw new ModelFormatException(onnxPath, $"ONNX Runtime cannot load this model: {ex.Message}", ex);
        }

        try
        {
            DecoderBinding binding = DecoderBinding.Resolve(config, session, configPath);
            // GroupQueryAttention reads each row's length from the mask and places new keys by it, which assumes a
            // layout other than our left padding; such models batch only sequences of equal length.
            bool paddedBatches = !OnnxOperatorScan.Contains(onnxPath, "GroupQueryAttention");
            return new OnnxModel(folder, config, session, binding, tokenizer, HasChatTemplate(folder), paddedBatches);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public IModelSequence CreateSequence() => new OnnxModelSequence(this);

    /// <inheritdoc/>
    public void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens)
    {
        if (sequences.Length != tokens.Length)
        {
            throw new ArgumentException($"{sequences.Length} sequences but {tokens.Length} tokens.", nameof(tokens));
        }

        if (sequences.IsEmpty)
        {
            return;
        }

        var own = new OnnxModelSequence[sequences.Length];
        for (int i = 0; i < sequences.Length; i++)
        {
            if (sequences[i] is not OnnxModelSequence sequence || !ReferenceEquals(sequence.Model, this))
            {
                throw new ArgumentException("Every sequence must have been created by this model.", nameof(sequences));
            }

            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(own[j], sequence))
                {
                    throw new ArgumentException("A sequence appears twice in the batch.", nameof(sequences));
                }
            }

            own[i] = sequence;
        }

        if (!PaddedBatches && own.Any(s => s.Length != own[0].Length))
        {
            for (int i = 0; i < own.Length; i++)
            {
                Forward([own[i]], tokens.Slice(i, 1), 1);
            }

            return;
        }

        Forward(own, tokens, 1);
    }

    /// <inheritdoc/>
    public void Dispose() => session.Dispose();

    /// <summary>Appends tokens to one sequence: one run, or one run per token where the model cannot extend a non-empty past by several tokens.</summary>
    internal void Append(OnnxModelSequence sequence, ReadOnlySpan<int> tokens)
    {
        if (tokens.Length == 1 || sequence.Length == 0 || !chunkedAppendRejected)
        {
            try
            {
                Forward([sequence], tokens, tokens.Length);
                return;
            }
            catch (OnnxRuntimeException) when (tokens.Length > 1 && sequence.Length > 0)
            {
                chunkedAppendRejected = true;
            }
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            Forward([sequence], tokens.Slice(i, 1), 1);
        }
    }

    /// <summary>
    /// One session run: every sequence appends <paramref name="step"/> tokens (row-major in <paramref name="tokens"/>).
    /// Pasts of different lengths are left-padded to the longest, with attention-mask zeros over the padding.
    /// </summary>
    internal unsafe void Forward(ReadOnlySpan<OnnxModelSequence> sequences, ReadOnlySpan<int> tokens, int step)
    {
        DecoderBinding b = Binding;
        int batch = sequences.Length;
        int maxPast = 0;
        for (int i = 0; i < batch; i++)
        {
            OnnxModelSequence sequence = sequences[i];
            sequence.ThrowIfDisposed();
            if (sequence.Length + step > Info.ContextLength)
            {
                throw new ContextLengthExceededException(sequence.Length + step, Info.ContextLength);
            }

            maxPast = Math.Max(maxPast, sequence.Length);
        }

        foreach (int token in tokens)
        {
            if ((uint)token >= (uint)Info.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token id {token} is outside the vocabulary of {Info.ModelId} (0..{Info.VocabularySize - 1}).");
            }
        }

        // Steady PAD state: the same sequences as the last batched run, whose presents become these pasts as they are.
        BatchResidency? resident = batch > 1 && sequences[0].Residency is { } r0 && r0.Matches(sequences) ? r0 : null;
        if (resident is null)
        {
            foreach (OnnxModelSequence sequence in sequences)
            {
                sequence.Materialize();
            }
        }

        int total = maxPast + step;
        int cacheCount = b.Past.Length;
        int bytesPerPosition = sequences[0].BytesPerPosition;
        bool direct = batch == 1;

        // Scratch: ids, mask, positions (8 bytes per element covers int64) and, for batches, the padded pasts.
        int idsBytes = batch * step * 8, maskBytes = batch * total * 8, posBytes = batch * step * 8;
        long pastBytes = direct || resident is not null ? 0 : (long)batch * maxPast * bytesPerPosition;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(idsBytes + maskBytes + posBytes + 8);
        GCHandle pin = GCHandle.Alloc(scratch, GCHandleType.Pinned);

        byte* pastBase = null;
        Span<nint> inputs = inputNames.Length <= 512 ? stackalloc nint[inputNames.Length] : new nint[inputNames.Length];
        Span<nint> outputs = outputNames.Length <= 512 ? stackalloc nint[outputNames.Length] : new nint[outputNames.Length];
        inputs.Clear();
        outputs.Clear();
        try
        {
            // Padded batch pasts live in native memory: they can exceed an array's 2 GB on large models.
            pastBase = pastBytes == 0 ? null : (byte*)NativeMemory.Alloc((nuint)(pastBytes * cacheCount));
            byte* basePtr = (byte*)pin.AddrOfPinnedObject();
            Span<long> shape = stackalloc long[5];
            nint memory = InferenceSession.CpuMemoryInfo;

            // input_ids [batch, step]
            byte* ids = basePtr;
            for (int i = 0; i < tokens.Length; i++)
            {
                WriteInteger(ids, b.InputIdsType, i, tokens[i]);
            }

            shape[0] = batch;
            shape[1] = step;
            inputs[b.InputIds] = NativeMethods.CreateTensor(memory, ids, (nuint)(tokens.Length * Size(b.InputIdsType)), shape[..2], b.InputIdsType);

            if (b.AttentionMask >= 0)
            {
                byte* mask = basePtr + idsBytes;
                for (int r = 0; r < batch; r++)
                {
                    int pad = maxPast - sequences[r].Length;
                    for (int t = 0; t < total; t++)
                    {
                        WriteInteger(mask, b.AttentionMaskType, (r * total) + t, t < pad ? 0 : 1);
                    }
                }

                shape[0] = batch;
                shape[1] = total;
                inputs[b.AttentionMask] = NativeMethods.CreateTensor(memory, mask, (nuint)(batch * total * Size(b.AttentionMaskType)), shape[..2], b.AttentionMaskType);
            }

            if (b.PositionIds >= 0)
            {
                byte* positions = basePtr + idsBytes + maskBytes;
                for (int r = 0; r < batch; r++)
                {
                    for (int s = 0; s < step; s++)
                    {
                        WriteInteger(positions, b.PositionIdsType, (r * step) + s, sequences[r].Length + s);
                    }
                }

                shape[0] = batch;
                shape[1] = step;
                inputs[b.PositionIds] = NativeMethods.CreateTensor(memory, positions, (nuint)(batch * step * Size(b.PositionIdsType)), shape[..2], b.PositionIdsType);
            }

            // Past: [2, batch, heads, past, head_size] (combined) or [batch, heads, past, head_size] (split).
            int rank = 0;
            if (b.Planes == 2)
            {
                shape[rank++] = 2;
            }

            shape[rank++] = batch;
            shape[rank++] = b.Heads;
            shape[rank++] = maxPast;
            shape[rank++] = b.HeadSize;
            for (int c = 0; c < cacheCount; c++)
            {
                if (resident is not null)
                {
                    inputs[b.Past[c]] = resident.Present(c);
                }
                else if (direct)
                {
                    fixed (byte* cache = sequences[0].CacheBuffer(c))
                    {
                        // The cache array is allocated pinned, so the pointer stays valid after this block.
                        inputs[b.Past[c]] = NativeMethods.CreateTensor(memory, cache, (nuint)(maxPast * bytesPerPosition), shape[..rank], b.CacheType);
                    }
                }
                else
                {
                    byte* past = pastBase + (c * pastBytes);
                    for (int r = 0; r < batch; r++)
                    {
                        sequences[r].LoadPast(c, past, batch, r, maxPast, maxPast - sequences[r].Length);
                    }

                    inputs[b.Past[c]] = NativeMethods.CreateTensor(memory, past, (nuint)pastBytes, shape[..rank], b.CacheType);
                }
            }

            session.Run(inputNames, inputs, outputNames, outputs);
            Interlocked.Increment(ref runCount);

            // Logits [batch, step_out, vocabulary]: keep the last position of each row.
            int outRank = NativeMethods.GetTensorShape(outputs[0], shape);
            if (outRank != 3 || shape[0] != batch || shape[2] != Info.VocabularySize)
            {
                throw new OnnxRuntimeException(OnnxRuntimeErrorCode.Fail, $"unexpected logits shape [{string.Join(", ", shape[..outRank].ToArray())}]");
            }

            int positionsOut = (int)shape[1];
            byte* logits = (byte*)NativeMethods.GetTensorData(outputs[0]);
            int vocab = Info.VocabularySize;
            for (int r = 0; r < batch; r++)
            {
                long offset = ((long)r * positionsOut + positionsOut - 1) * vocab;
                Span<float> destination = sequences[r].LogitsBuffer;
                if (b.LogitsType == TensorElementType.Float16)
                {
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)logits + offset, vocab), destination);
                }
                else
                {
                    new ReadOnlySpan<float>((float*)logits + offset, vocab).CopyTo(destination);
                }
            }

            // Present: [.., batch, heads, total, head_size]. A single sequence copies it into its own cache; a batch
            // keeps the tensors as its residency, each row's positions after its padding.
            if (direct)
            {
                OnnxModelSequence sequence = sequences[0];
                sequence.EnsureCapacity(sequence.Length + step);
                for (int c = 0; c < cacheCount; c++)
                {
                    sequence.StorePresent(c, (byte*)NativeMethods.GetTensorData(outputs[1 + c]), 1, 0, total, 0, sequence.Length + step);
                }
            }
            else if (resident is not null)
            {
                // The borrowed pasts are released here, with the residency's previous presents.
                foreach (int index in b.Past)
                {
                    inputs[index] = 0;
                }

                resident.Advance(outputs[1..], total);
            }
            else
            {
                var presents = outputs[1..].ToArray();
                outputs[1..].Clear();
                var residency = new BatchResidency(sequences.ToArray(), presents, total);
                for (int r = 0; r < batch; r++)
                {
                    sequences[r].Reside(residency, r, maxPast - sequences[r].Length);
                }
            }

            for (int r = 0; r < batch; r++)
            {
                sequences[r].Advance(sequences[r].Length + step);
            }
        }
        catch
        {
            // A failed run leaves the caches as they were; the logits no longer match them.
            for (int r = 0; r < batch; r++)
            {
                sequences[r].InvalidateLogits();
            }

            throw;
        }
        finally
        {
            if (resident is not null)
            {
                // Pasts borrowed from the residency stay its own (also when the run failed).
                foreach (int index in b.Past)
                {
                    inputs[index] = 0;
                }
            }

            foreach (nint value in inputs)
            {
                if (value != 0)
                {
                    NativeMethods.ReleaseValue(value);
                }
            }

            foreach (nint value in outputs)
            {
                if (value != 0)
                {
                    NativeMethods.ReleaseValue(value);
                }
            }

            pin.Free();
            ArrayPool<byte>.Shared.Return(scratch);
            NativeMemory.Free(pastBase);
        }
    }

    /// <summary>
    /// One thread for small graphs, whose per-operator work is too short to repay the thread pool's synchronisation
    /// (stories260K runs about 1.6x faster on one thread than on ORT's default pool); ORT's default otherwise.
    /// </summary>
    private static int? DefaultIntraOpThreads(string onnxPath)
    {
        long bytes = new FileInfo(onnxPath).Length;
        string externalData = onnxPath + ".data";
        if (File.Exists(externalData))
        {
            bytes += new FileInfo(externalData).Length;
        }

        return bytes < SmallModelBytes ? 1 : null;
    }

    private static int Size(TensorElementType type) => type == TensorElementType.Int64 ? 8 : 4;

    private static unsafe void WriteInteger(byte* buffer, TensorElementType type, int index, long value)
    {
        if (type == TensorElementType.Int64)
        {
            ((long*)buffer)[index] = value;
        }
        else
        {
            ((int*)buffer)[index] = (int)value;
        }
    }

    private static ITokenizer DefaultTokenizer(string folder) => HuggingFaceTokenizer.Load(folder);

    private static bool HasChatTemplate(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("chat_template", out JsonElement template) &&
                template.ValueKind is JsonValueKind.String or JsonValueKind.Array;
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(path, $"not valid JSON: {ex.Message}", ex);
        }
    }
}
