using PadKernel.Text;

namespace PadKernel.OnnxRuntime;

/// <summary>How PadKernel loads ONNX Runtime and creates sessions.</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>The environment variable naming the native ONNX Runtime library (file or folder).</summary>
    public const string LibraryPathEnvironmentVariable = "PADKERNEL_ONNXRUNTIME_PATH";

    /// <summary>
    /// Gets or sets the native library to load (a file such as <c>libonnxruntime.so.1</c>, or a folder holding it).
    /// When null, <see cref="LibraryPathEnvironmentVariable"/>, then a copy next to the application, then the
    /// repository's <c>.cache/onnxruntime</c> (filled by <c>scripts/setup-onnxruntime.sh</c>) are tried.
    /// The first model loaded in a process fixes the library for the whole process.
    /// </summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>Gets or sets the execution provider: <c>cpu</c> (default) or <c>cuda</c>.</summary>
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>Gets or sets the CUDA device id used when <see cref="ExecutionProvider"/> is <c>cuda</c>.</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// Gets or sets the number of threads inside one operator; 0 lets ONNX Runtime choose. When null, genai_config.json's
    /// value applies, else 1 for models under 64 MiB (too small to repay a thread pool) and ONNX Runtime's default above.
    /// </summary>
    public int? IntraOpThreads { get; set; }

    /// <summary>Gets or sets the number of threads across operators; 0 lets ONNX Runtime choose; null keeps genai_config.json's value.</summary>
    public int? InterOpThreads { get; set; }

    /// <summary>Gets or sets the graph optimization level (ONNX Runtime's default is <see cref="GraphOptimizationLevel.All"/>).</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.All;

    /// <summary>
    /// Gets or sets the factory that creates the tokenizer of a model folder (argument: the folder).
    /// When null, the folder's <c>tokenizer.json</c> is loaded.
    /// </summary>
    public Func<string, ITokenizer>? TokenizerFactory { get; set; }
}

/// <summary>ONNX Runtime's graph optimization levels.</summary>
public enum GraphOptimizationLevel
{
    /// <summary>No graph optimization.</summary>
    None = 0,

    /// <summary>Basic, semantics-preserving rewrites (constant folding, redundant node removal).</summary>
    Basic = 1,

    /// <summary>Basic plus extended fusions.</summary>
    Extended = 2,

    /// <summary>Everything, layout optimizations included.</summary>
    All = 99,
}
