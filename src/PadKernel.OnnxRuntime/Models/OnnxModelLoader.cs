using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using PadKernel.Alignment;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Native;
using PadKernel.OnnxRuntime.Prompts;
using PadKernel.OnnxRuntime.Validation;
using PadKernel.Text;
using PadKernel.Tokenizers;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// Loads ONNX Runtime GenAI model folders (a folder with <c>genai_config.json</c>): checks the folder in managed code
/// first (<see cref="GenAIFolderValidator"/>, <see cref="GenAIConfig"/>, the tokenizer's vocabulary), so that a bad
/// file is a typed error naming the file and key before GenAI's native parsers read it; then creates the native
/// model with the execution provider and thread count asked for.
/// </summary>
public sealed class OnnxModelLoader : IModelLoader
{
    /// <summary>The runtime name reported in <see cref="ModelInfo.Runtime"/>.</summary>
    public const string RuntimeName = "onnxruntime";

    // Below this, a model is too small to repay a thread pool (measured in docs/benchmarks.md).
    private const long SmallModelBytes = 64L << 20;

    private readonly OnnxRuntimeOptions options;

    /// <summary>Initializes a new instance of the <see cref="OnnxModelLoader"/> class.</summary>
    public OnnxModelLoader(OnnxRuntimeOptions? options = null)
    {
        this.options = options ?? new OnnxRuntimeOptions();
    }

    /// <inheritdoc/>
    public string Runtime => RuntimeName;

    /// <inheritdoc/>
    public bool CanLoad(string path) =>
        !string.IsNullOrEmpty(path) && Directory.Exists(path) && File.Exists(Path.Combine(path, GenAIConfig.FileName));

    /// <inheritdoc/>
    public ILanguageModel Load(string path) => OnnxModel.Load(path, options);

    /// <summary>Loads a folder (see <see cref="OnnxModel.Load"/>).</summary>
    internal static OnnxModel LoadFolder(string folder, OnnxRuntimeOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
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

        ITokenizer tokenizer = (options.TokenizerFactory ?? HuggingFaceTokenizer.Load)(folder);
        if (options.ValidateTokenizerVocabulary && tokenizer.VocabularySize > config.VocabularySize)
        {
            throw new VocabularyMismatchException(
                $"The tokenizer of '{folder}' knows {tokenizer.VocabularySize} token ids but the model has logits for only {config.VocabularySize} " +
                $"(key 'model.vocab_size' in {configPath}); text would produce ids the model cannot read. Use the tokenizer.json that belongs to this model, " +
                $"or set {nameof(OnnxRuntimeOptions)}.{nameof(OnnxRuntimeOptions.ValidateTokenizerVocabulary)} = false to drive it with token ids below {config.VocabularySize}.");
        }

        if (options.ValidateTokenizerVocabulary && tokenizer.VocabularySize < config.VocabularySize)
        {
            throw new ModelFormatException(configPath, $"key 'model.vocab_size' is {config.VocabularySize}, but the tokenizer knows only {tokenizer.VocabularySize} tokens.");
        }

        int threads = IntraOpThreads(options, config, onnxPath);
        OgaModel native = CreateNativeModel(folder, configPath, options, threads);
        return new OnnxModel(folder, config, native, tokenizer, GenAIChatTemplates.FolderHasTemplate(folder), options.BatchContexts, threads);
    }

    /// <summary>
    /// The ONNX Runtime <c>intra_op_num_threads</c> of the model's session: the option, else the folder's, else 1 for
    /// models under 64 MiB, else one per core (GenAI's own default is half the cores, which is one thread on a
    /// two-core machine without SMT).
    /// </summary>
    internal static int IntraOpThreads(OnnxRuntimeOptions options, GenAIConfig config, string onnxPath)
    {
        if (options.IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpThreads, $"{nameof(OnnxRuntimeOptions)}.{nameof(OnnxRuntimeOptions.IntraOpThreads)} must be 0 (ONNX Runtime chooses) or more.");
        }

        if ((options.IntraOpThreads ?? config.Decoder.IntraOpThreads) is int threads)
        {
            return threads;
        }

        long bytes = new FileInfo(onnxPath).Length;
        string externalData = onnxPath + ".data";
        if (File.Exists(externalData))
        {
            bytes += new FileInfo(externalData).Length;
        }

        return bytes < SmallModelBytes ? 1 : Environment.ProcessorCount;
    }

    private static OgaModel CreateNativeModel(string folder, string configPath, OnnxRuntimeOptions options, int intraOpThreads)
    {
        string provider = ExecutionProviders.Normalize(options.ExecutionProvider);
        OgaConfig config;
        try
        {
            config = OgaConfig.Create(folder);
        }
        catch (DllNotFoundException ex)
        {
            throw new OnnxRuntimeNotFoundException(
                $"The native ONNX Runtime GenAI library (onnxruntime-genai) was not found for {RuntimeInformation.RuntimeIdentifier}; " +
                "it comes with the Microsoft.ML.OnnxRuntimeGenAI NuGet package (linux-x64/arm64, win-x64/arm64, osx-arm64).", ex);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelFormatException(configPath, ex.Message, ex);
        }

        using (config)
        {
            var threads = new JsonObject { ["intra_op_num_threads"] = intraOpThreads };
            config.Overlay(new JsonObject { ["model"] = new JsonObject { ["decoder"] = new JsonObject { ["session_options"] = threads } } }.ToJsonString());
            ExecutionProviders.Apply(config, provider, options.DeviceId);
            try
            {
                return OgaModel.Create(config);
            }
            catch (OnnxRuntimeException ex) when (provider != ExecutionProviders.Cpu)
            {
                throw ExecutionProviders.Unavailable(provider, ex);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new ModelFormatException(folder, ex.Message, ex);
            }
        }
    }
}
