using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Native;
using PadKernel.OnnxRuntime.Prompts;
using PadKernel.OnnxRuntime.Validation;
using PadKernel.Text;
using PadKernel.Tokenizers;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// A language model from an ONNX Runtime GenAI folder (<c>genai_config.json</c> + decoder <c>.onnx</c> + tokenizer),
/// run by ONNX Runtime GenAI: each sequence is a row of a GenAI generator, which keeps the KV cache and appends
/// every token through its own search. Contexts prefilled together (<see cref="Prefill"/>) are rows of one batched
/// generator, which is how PAD evaluates its base and reward contexts in one forward call per step.
/// </summary>
public sealed class OnnxModel : ILanguageModel
{
    private const long SmallModelBytes = 64L << 20;

    private readonly ModelHandle _handle;
    private readonly bool _batchContexts;
    private long _runCount;
    private volatile bool _disposed;
    private readonly Lock _tokenizerGate = new();
    private TokenizerHandle? _genAITokenizer;
    private readonly Lazy<JinjaChatTemplate?> _chatTemplate;

    private OnnxModel(string folder, GenAIConfig config, ModelHandle handle, ITokenizer tokenizer, bool isChatModel, bool batchContexts)
    {
        Folder = folder;
        Config = config;
        _handle = handle;
        _batchContexts = batchContexts;
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
        _chatTemplate = new(() => isChatModel && tokenizer is HuggingFaceTokenizer ? FolderTemplate() : null);
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

    /// <summary>Gets the number of model runs (a prompt prefill or one step of a generator, all its rows together) so far, for diagnostics and tests.</summary>
    public long RunCount => Interlocked.Read(ref _runCount);

    /// <summary>Gets the number of GenAI objects (models, generators, tensors, ...) alive in this process, for leak checks.</summary>
    public static long LiveNativeObjects => GenAIHandle.LiveCount;

    /// <summary>Loads a GenAI model folder.</summary>
    /// <param name="folder">The folder holding <c>genai_config.json</c>.</param>
    /// <param name="options">Provider, batching and tokenizer options.</param>
    /// <exception cref="ModelFormatException">A file is missing or inconsistent; the message names the file and key.</exception>
    /// <exception cref="VocabularyMismatchException">The tokenizer knows more ids than the model has logits.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The execution provider is not in the installed GenAI package.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The native GenAI library is missing for this platform.</exception>
    public static OnnxModel Load(string folder, OnnxRuntimeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new OnnxRuntimeOptions();
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelFormatException(folder, "model folder not found.");
        }

        // Hostile-input checks on the files GenAI's native parsers read (size caps, regular files, paths inside the folder).
        GenAIFolderValidator.Validate(folder);

        // Read managed first: every missing or mistyped key becomes a ModelFormatException naming the file and key
        // before GenAI's native JSON parser sees the file.
        GenAIConfig config = GenAIConfig.Load(folder);
        string configPath = Path.Combine(folder, GenAIConfig.FileName);
        string onnxPath = Path.Combine(folder, config.Decoder.FileName);
        if (!File.Exists(onnxPath))
        {
            throw new ModelFormatException(onnxPath, $"decoder file not found (named by key 'model.decoder.filename' in {configPath}).");
        }

        ITokenizer tokenizer = (options.TokenizerFactory ?? DefaultTokenizer)(folder);
        if (options.ValidateTokenizerVocabulary && tokenizer.VocabularySize > config.VocabularySize)
        {
            throw new VocabularyMismatchException(
                $"The tokenizer of '{folder}' knows {tokenizer.VocabularySize} token ids but the model has logits for only {config.VocabularySize} " +
                $"(key 'model.vocab_size' in {configPath}); text would produce ids the model cannot read. Use the tokenizer.json that belongs to this model, " +
                $"or set {nameof(OnnxRuntimeOptions)}.{nameof(OnnxRuntimeOptions.ValidateTokenizerVocabulary)} = false to drive it with token ids below {config.VocabularySize}.");
        }

        if (tokenizer.VocabularySize < config.VocabularySize && options.ValidateTokenizerVocabulary)
        {
            throw new ModelFormatException(configPath, $"key 'model.vocab_size' is {config.VocabularySize}, but the tokenizer knows only {tokenizer.VocabularySize} tokens.");
        }

        int? threads = options.IntraOpThreads ?? config.Decoder.IntraOpThreads ?? DefaultIntraOpThreads(onnxPath);
        ModelHandle handle = CreateNativeModel(folder, configPath, options, threads);
        return new OnnxModel(folder, config, handle, tokenizer, HasChatTemplate(folder), options.BatchContexts);
    }

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

    /// <summary>
    /// Runs ONNX Runtime GenAI's own greedy loop (<c>GenerateNextToken</c> alone, no PadKernel stage) with
    /// <paramref name="rows"/> copies of <paramref name="prompt"/> in one generator: the reference that PadKernel's
    /// decoding is compared with, token for token in tests and step for step in <c>pad bench</c>.
    /// </summary>
    /// <param name="prompt">The prompt ids (BOS included if wanted).</param>
    /// <param name="maxNewTokens">How many tokens to generate at most.</param>
    /// <param name="rows">The generator's batch size.</param>
    /// <param name="ignoreEndOfSequence">Whether to keep going past end-of-sequence ids (GenAI's <c>min_length</c>).</param>
    /// <param name="onToken">Called after each step with row 0's token (for timing).</param>
    /// <returns>Row 0's generated ids (an end-of-sequence id included when GenAI stopped on it).</returns>
    public IReadOnlyList<int> GenerateNativeGreedy(IReadOnlyList<int> prompt, int maxNewTokens, int rows = 1, bool ignoreEndOfSequence = false, Action<int>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return GenerateNativeGreedy(Enumerable.Repeat(prompt, rows).ToArray(), maxNewTokens, ignoreEndOfSequence, onToken);
    }

    /// <summary>
    /// Runs ONNX Runtime GenAI's own greedy loop with one row per prompt in one generator (right-padded to the longest,
    /// as GenAI batches prompts of different lengths): the step-rate reference for PAD, whose base and reward contexts
    /// differ in length in the same way.
    /// </summary>
    /// <param name="prompts">One prompt per row (BOS included if wanted).</param>
    /// <param name="maxNewTokens">How many tokens to generate at most.</param>
    /// <param name="ignoreEndOfSequence">Whether to keep going past end-of-sequence ids (GenAI's <c>min_length</c>).</param>
    /// <param name="onToken">Called after each step with row 0's token (for timing).</param>
    /// <returns>Row 0's generated ids (an end-of-sequence id included when GenAI stopped on it).</returns>
    public IReadOnlyList<int> GenerateNativeGreedy(IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, bool ignoreEndOfSequence = false, Action<int>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfZero(prompts.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        foreach (IReadOnlyList<int> prompt in prompts)
        {
            ArgumentNullException.ThrowIfNull(prompt);
            CheckTokens([.. prompt]);
        }

        int rows = prompts.Count;
        int total = Math.Min(Info.ContextLength, prompts.Max(p => p.Count) + maxNewTokens);
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeMethods.Check(NativeMethods.OgaCreateGeneratorParams(_handle, out nint rawParams), "GenAI could not create generator parameters");
        using var parameters = new GeneratorParamsHandle(rawParams);
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchNumber(parameters, "batch_size", rows), "batch_size");
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchNumber(parameters, "max_length", total), "max_length");
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchBool(parameters, "do_sample", false), "do_sample");
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchNumber(parameters, "min_length", ignoreEndOfSequence ? total : 0), "min_length");
        NativeMethods.Check(NativeMethods.OgaCreateGenerator(_handle, parameters, out nint raw), "GenAI could not create a generator");
        using var generator = new GeneratorHandle(raw);
        NativeMethods.Check(NativeMethods.OgaCreateSequences(out nint rawSequences), "GenAI could not create a token sequence list");
        using (var sequences = new SequencesHandle(rawSequences))
        {
            foreach (IReadOnlyList<int> prompt in prompts)
            {
                int[] ids = [.. prompt];
                unsafe
                {
                    fixed (int* p = ids)
                    {
                        NativeMethods.Check(NativeMethods.OgaAppendTokenSequence(p, (nuint)ids.Length, sequences), "GenAI could not add a prompt");
                    }
                }
            }

            NativeMethods.Check(NativeMethods.OgaGenerator_AppendTokenSequences(generator, sequences), "GenAI could not run the prompt");
        }

        var output = new List<int>(maxNewTokens);
        while (output.Count < maxNewTokens && !NativeMethods.OgaGenerator_IsDone(generator))
        {
            NativeMethods.Check(NativeMethods.OgaGenerator_GenerateNextToken(generator), "GenAI could not generate");
            int token;
            unsafe
            {
                NativeMethods.Check(NativeMethods.OgaGenerator_GetNextTokens(generator, out int* next, out nuint _), "GenAI next tokens");
                token = next[0];
            }

            output.Add(token);
            onToken?.Invoke(token);

        }

        return output;
    }

    /// <summary>
    /// Renders a conversation with a Jinja chat template through ONNX Runtime GenAI's <c>ApplyChatTemplate</c>:
    /// <paramref name="template"/>, or the folder's own <c>chat_template</c> when null. <c>bos_token</c> and
    /// <c>eos_token</c> come from the folder's tokenizer configuration.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="addGenerationPrompt">Whether to end with the assistant's turn header.</param>
    /// <param name="template">A template string, or null for the folder's.</param>
    /// <returns>The rendered prompt text (control-token strings included, as the template writes them).</returns>
    /// <exception cref="OnnxRuntimeException">The template is invalid or raised an error (GenAI's message).</exception>
    public string ApplyChatTemplate(IReadOnlyList<PadKernel.Prompts.PromptMessage> messages, bool addGenerationPrompt, string? template = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var json = new System.Text.Json.Nodes.JsonArray();
        foreach (PadKernel.Prompts.PromptMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message);
            json.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["role"] = message.Role.ToString().ToLowerInvariant(),
                ["content"] = message.Text,
            });
        }

        lock (_tokenizerGate)
        {
            NativeMethods.Check(
                NativeMethods.OgaTokenizerApplyChatTemplate(GenAITokenizer(), template, json.ToJsonString(), null, addGenerationPrompt, out nint text),
                "GenAI could not apply the chat template");
            return NativeMethods.TakeString(text);
        }
    }

    /// <summary>
    /// Creates a chat template from a Jinja template string (the format of <c>chat_template</c>), rendered by GenAI with
    /// this folder's <c>bos_token</c>/<c>eos_token</c> and split at the special tokens of this folder's tokenizer;
    /// for example to use a published template with a folder that lacks one
    /// (<c>PadChatClientOptions.ChatTemplate = model.CreateChatTemplate(template)</c>).
    /// </summary>
    /// <param name="template">The Jinja template.</param>
    /// <exception cref="NotSupportedException">The model's tokenizer is not the folder's <c>tokenizer.json</c>.</exception>
    /// <exception cref="PadKernelException">The template cannot render a one-message conversation.</exception>
    public JinjaChatTemplate CreateChatTemplate(string template)
    {
        ArgumentException.ThrowIfNullOrEmpty(template);
        if (Tokenizer is not HuggingFaceTokenizer)
        {
            throw new NotSupportedException("A Jinja chat template needs the folder's tokenizer.json to tell its control tokens from text; this model was loaded with a custom tokenizer.");
        }

        return CreateTemplate(template);
    }

    /// <summary>
    /// Encodes text with GenAI's own tokenizer as it is configured by default (no BOS; control-token strings in the
    /// text become control ids). Used to compare it with PadKernel's tokenizer and Hugging Face's.
    /// </summary>
    internal int[] EncodeWithGenAI(string text)
    {
        lock (_tokenizerGate)
        {
            NativeMethods.Check(NativeMethods.OgaCreateSequences(out nint raw), "GenAI could not create a token sequence list");
            using var sequences = new SequencesHandle(raw);
            NativeMethods.Check(NativeMethods.OgaTokenizerEncode(GenAITokenizer(), text, sequences), "GenAI could not encode the text");
            unsafe
            {
                return new ReadOnlySpan<int>(NativeMethods.OgaSequencesGetSequenceData(sequences, 0), (int)NativeMethods.OgaSequencesGetSequenceCount(sequences, 0)).ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        lock (_tokenizerGate)
        {
            _genAITokenizer?.Dispose();
        }

        _handle.Dispose();
    }

    // A chat_template GenAI cannot render (the list form, which GenAI 0.18 cannot even load, or one that fails on a
    // single user message) leaves the model on the built-in family templates, as before it had one.
    private JinjaChatTemplate? FolderTemplate()
    {
        try
        {
            return CreateTemplate(null);
        }
        catch (PadKernelException)
        {
            return null;
        }
    }

    private JinjaChatTemplate CreateTemplate(string? template)
    {
        var tokenizer = (HuggingFaceTokenizer)Tokenizer;
        var controls = tokenizer.AddedTokens.Where(t => tokenizer.IsSpecialToken(t.Value)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        return new JinjaChatTemplate((messages, addGenerationPrompt) => ApplyChatTemplate(messages, addGenerationPrompt, template), controls, Info.BosTokenId);
    }

    /// <summary>Gets the native model, which every generator holds a reference on (so disposing the model while sequences live is safe).</summary>
    internal ModelHandle Handle => _handle;

    /// <summary>Gets or sets a value indicating whether the model refused a several-token append over a non-empty past.</summary>
    internal bool ChunkedAppendRejected { get; set; }

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

    /// <summary>Creates a generator with <paramref name="rows"/> rows and greedy search (the token is always forced).</summary>
    internal GeneratorHandle CreateGenerator(int rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeMethods.Check(NativeMethods.OgaCreateGeneratorParams(_handle, out nint rawParams), "GenAI could not create generator parameters");
        using var parameters = new GeneratorParamsHandle(rawParams);
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchNumber(parameters, "batch_size", rows), "batch_size");
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchNumber(parameters, "max_length", Info.ContextLength), "max_length");
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchBool(parameters, "do_sample", false), "do_sample");
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchNumber(parameters, "min_length", 0), "min_length");
        NativeMethods.Check(NativeMethods.OgaGeneratorParamsSetSearchNumber(parameters, "repetition_penalty", 1), "repetition_penalty");
        NativeMethods.Check(NativeMethods.OgaCreateGenerator(_handle, parameters, out nint raw), "GenAI could not create a generator");
        return new GeneratorHandle(raw);
    }

    // Created on first use, under _tokenizerGate.
    private TokenizerHandle GenAITokenizer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_genAITokenizer is null)
        {
            NativeMethods.Check(NativeMethods.OgaCreateTokenizer(_handle, out nint raw), "GenAI could not create the tokenizer");
            _genAITokenizer = new TokenizerHandle(raw);
        }

        return _genAITokenizer;
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

    private static ModelHandle CreateNativeModel(string folder, string configPath, OnnxRuntimeOptions options, int? intraOpThreads)
    {
        string provider = options.ExecutionProvider?.Trim().ToLowerInvariant() ?? "cpu";
        ConfigHandle config;
        try
        {
            NativeMethods.Check(NativeMethods.OgaCreateConfig(folder, out nint raw), "reading the model folder");
            config = new ConfigHandle(raw);
        }
        catch (DllNotFoundException ex)
        {
            throw new OnnxRuntimeNotFoundException(
                $"The native ONNX Runtime GenAI library (onnxruntime-genai) was not found for {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}; " +
                "it comes with the Microsoft.ML.OnnxRuntimeGenAI NuGet package (linux-x64/arm64, win-x64/arm64, osx-arm64).", ex);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelFormatException(configPath, ex.Message, ex);
        }

        using (config)
        {
            // The folder's provider_options are replaced by the one asked for, so results do not depend on what the
            // exporting machine had.
            NativeMethods.Check(NativeMethods.OgaConfigClearProviders(config), "clearing providers");
            if (intraOpThreads is int threads)
            {
                NativeMethods.Check(
                    NativeMethods.OgaConfigOverlay(config, $"{{\"model\":{{\"decoder\":{{\"session_options\":{{\"intra_op_num_threads\":{threads}}}}}}}}}"),
                    "setting intra_op_num_threads");
            }

            if (provider != "cpu")
            {
                AppendProvider(config, provider, options.DeviceId);
            }

            try
            {
                NativeMethods.Check(NativeMethods.OgaCreateModelFromConfig(config, out nint model), "loading the model");
                return new ModelHandle(model);
            }
            catch (OnnxRuntimeException ex) when (provider != "cpu")
            {
                throw Unavailable(provider, ex);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new ModelFormatException(folder, ex.Message, ex);
            }
        }
    }

    private static void AppendProvider(ConfigHandle config, string provider, int? deviceId)
    {
        try
        {
            NativeMethods.Check(NativeMethods.OgaConfigAppendProvider(config, provider), $"adding execution provider '{provider}'");
            if (deviceId is int id)
            {
                NativeMethods.Check(NativeMethods.OgaConfigSetProviderOption(config, provider, "device_id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "device_id");
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw Unavailable(provider, ex);
        }
    }

    private static ExecutionProviderUnavailableException Unavailable(string provider, OnnxRuntimeException ex)
    {
        string package = provider switch
        {
            "cuda" => "Microsoft.ML.OnnxRuntimeGenAI.Cuda",
            "dml" => "Microsoft.ML.OnnxRuntimeGenAI.DirectML (Windows)",
            _ => "the Microsoft.ML.OnnxRuntimeGenAI package built for that provider",
        };
        return new ExecutionProviderUnavailableException(
            provider,
            $"The execution provider '{provider}' is not available in the installed ONNX Runtime GenAI package; install {package} instead of Microsoft.ML.OnnxRuntimeGenAI, or use 'cpu'. ({ex.Message})",
            ex);
    }

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
