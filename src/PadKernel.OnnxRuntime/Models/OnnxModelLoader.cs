using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>Loads ONNX Runtime GenAI model folders (a folder with <c>genai_config.json</c>).</summary>
public sealed class OnnxModelLoader : IModelLoader
{
    /// <summary>The runtime name reported in <see cref="ModelInfo.Runtime"/>.</summary>
    public const string RuntimeName = "onnxruntime";

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
}
