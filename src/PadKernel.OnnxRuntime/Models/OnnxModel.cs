using PadKernel.Models;
using PadKernel.OnnxRuntime.Native;
using PadKernel.OnnxRuntime.Prompts;
using PadKernel.Text;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// A language model from an ONNX Runtime GenAI folder (<c>genai_config.json</c> + decoder <c>.onnx</c> + tokenizer),
/// run by ONNX Runtime GenAI: each sequence is a row of a GenAI generator, which keeps the KV cache and appends
/// every token through its own search. Contexts prefilled together (<see cref="Prefill"/>) are rows of one batched
/// generator, which is how PAD evaluates its base and reward contexts in one forward call per step.
/// </summary>
/// <remarks>
/// Loading is <see cref="OnnxModelLoader"/>'s, chat templates <see cref="GenAIChatTemplates"/>', GenAI's own
/// reference loop <see cref="GenAIGreedyLoop"/>'s; the native objects are the <c>Oga*</c> types.
/// </remarks>
public sealed class OnnxModel : ILanguageModel
{
    private readonly OgaModel _native;
    private readonly bool _batchContexts;
    private readonly Lazy<JinjaChatTemplate?> _chatTemplate;
    private long _runCount;
    private volatile bool _disposed;

    internal OnnxModel(string folder, GenAIConfig config, OgaModel native, ITokenizer tokenizer, bool isChatModel, bool batchContexts, int intraOpThreads)
    {
        Folder = folder;
        Config = config;
        _native = native;
        _batchContexts = batchContexts;
        IntraOpThreads = intraOpThreads;
        Tokenizer = tokenizer;
        GenAITokenizer = new GenAITokenizer(native);
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
        _chatTemplate = new(() => GenAIChatTemplates.ForFolder(this));
    }

    /// <inheritdoc/>
    public ModelInfo Info { get; }

    /// <inheritdoc/>
    public ITokenizer Tokenizer { get; }

    /// <summary>
    /// Gets the folder's own chat template (<c>chat_template</c> of <c>tokenizer_config.json</c>), rendered by GenAI and
    /// split into text and control segments (see <see cref="JinjaChatTemplate"/>); null when the folder has none, when
    /// GenAI cannot render it (the list form of <c>chat_template</c>, or a template that fails on one user message), or
    /// when the tokenizer is not the folder's <c>tokenizer.json</c> (a custom <see cref="OnnxRuntimeOptions.TokenizerFactory"/>),
    /// whose special tokens are then unknown. Created on first use.
    /// </summary>
    public PadKernel.Prompts.ChatTemplate? ChatTemplate => _chatTemplate.Value;

    /// <summary>Gets the model folder.</summary>
    public string Folder { get; }

    /// <summary>Gets the parsed <c>genai_config.json</c>.</summary>
    public GenAIConfig Config { get; }

    /// <summary>Gets the ONNX Runtime <c>intra_op_num_threads</c> the model's session was created with (see <see cref="OnnxRuntimeOptions.IntraOpThreads"/>).</summary>
    public int IntraOpThreads { get; }

    /// <summary>Gets the number of model runs (a prompt prefill or one step of a generator, all its rows together) so far, for diagnostics and tests.</summary>
    public long RunCount => Interlocked.Read(ref _runCount);

    /// <summary>Gets the number of GenAI objects (models, generators, tensors, ...) alive in this process, for leak checks.</summary>
    public static long LiveNativeObjects => GenAIHandle.LiveCount;

    /// <summary>Gets the model's GenAI tokenizer (chat template rendering).</summary>
    internal GenAITokenizer GenAITokenizer { get; }

    /// <summary>Gets or sets a value indicating whether the model refused a several-token append over a non-empty past.</summary>
    internal bool ChunkedAppendRejected { get; set; }

    /// <summary>Loads a GenAI model folder.</summary>
    /// <param name="folder">The folder holding <c>genai_config.json</c>.</param>
    /// <param name="options">Provider, threads, batching and tokenizer options.</param>
    /// <exception cref="ModelFormatException">A file is missing or inconsistent; the message names the file and key.</exception>
    /// <exception cref="PadKernel.Alignment.VocabularyMismatchException">The tokenizer knows more ids than the model has logits.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The execution provider is not in the installed GenAI package.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The native GenAI library is missing for this platform.</exception>
    public static OnnxModel Load(string folder, OnnxRuntimeOptions? options = null) =>
        OnnxModelLoader.LoadFolder(folder, options ?? new OnnxRuntimeOptions());

    /// <inheritdoc/>
    public IModelSequence CreateSequence()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new OnnxModelSequence(this);
    }

    /// <inheritdoc/>
    public void Prefill(ReadOnlySpan<IModelSequence> sequences, IReadOnlyList<IReadOnlyList<int>> contexts)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        if (sequences.Length != contexts.Count)
        {
            throw new ArgumentException($"{sequences.Length} sequences but {contexts.Count} contexts.", nameof(contexts));
        }

        OnnxModelSequence[] own = Own(sequences);
        if (!_batchContexts || own.Length == 1)
        {
            for (int i = 0; i < own.Length; i++)
            {
                own[i].Append(contexts[i].ToArray());
            }

            return;
        }

        foreach (OnnxModelSequence sequence in own)
        {
            if (sequence.Group is not null)
            {
                throw new ArgumentException("Prefill takes new, empty sequences.", nameof(sequences));
            }
        }

        GeneratorGroup group = GeneratorGroup.Start(this, contexts);
        for (int i = 0; i < own.Length; i++)
        {
            own[i].Bind(group, i);
        }
    }

    /// <inheritdoc/>
    public void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens)
    {
        if (sequences.Length != tokens.Length)
        {
            throw new ArgumentException($"{sequences.Length} sequences but {tokens.Length} tokens.", nameof(tokens));
        }

        OnnxModelSequence[] own = Own(sequences);
        CheckTokens(tokens);

        // Each generator advances once, with its rows' tokens in row order; a batched generator needs all its rows.
        Span<int> buffer = stackalloc int[16];
        for (int i = 0; i < own.Length; i++)
        {
            GeneratorGroup group = own[i].Group ?? throw new InvalidOperationException("A sequence must be prefilled (appended to) before DecodeBatch.");
            if (own[i].Row != 0)
            {
                continue;
            }

            Span<int> rowTokens = group.Rows <= buffer.Length ? buffer[..group.Rows] : new int[group.Rows];
            int found = 0;
            for (int j = 0; j < own.Length; j++)
            {
                if (ReferenceEquals(own[j].Group, group))
                {
                    rowTokens[own[j].Row] = tokens[j];
                    found++;
                }
            }

            if (found != group.Rows)
            {
                throw new InvalidOperationException($"A batched generator's {group.Rows} rows advance together; {found} of them were passed.");
            }

            group.Step(rowTokens);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        GenAITokenizer.Dispose();
        _native.Dispose();
    }

    internal void CountRun() => Interlocked.Increment(ref _runCount);

    internal void CheckTokens(ReadOnlySpan<int> tokens)
    {
        foreach (int token in tokens)
        {
            if ((uint)token >= (uint)Info.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token id {token} is outside the vocabulary of {Info.ModelId} (0..{Info.VocabularySize - 1}).");
            }
        }
    }

    /// <summary>Creates a greedy generator with <paramref name="rows"/> rows (<see cref="GreedySearch"/>); the native model lives until it is gone.</summary>
    internal OgaGenerator CreateGenerator(int rows, int? maxLength = null, int minLength = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return GreedySearch.CreateGenerator(_native, rows, maxLength ?? Info.ContextLength, minLength);
    }

    private OnnxModelSequence[] Own(ReadOnlySpan<IModelSequence> sequences)
    {
        var own = new OnnxModelSequence[sequences.Length];
        for (int i = 0; i < sequences.Length; i++)
        {
            if (sequences[i] is not OnnxModelSequence sequence || !ReferenceEquals(sequence.Model, this))
            {
                throw new ArgumentException("Every sequence must have been created by this model.", nameof(sequences));
            }

            sequence.ThrowIfDisposed();
            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(own[j], sequence))
                {
                    throw new ArgumentException("A sequence appears twice in the batch.", nameof(sequences));
                }
            }

            own[i] = sequence;
        }

        return own;
    }
}
