using PadKernel.Text;

namespace PadKernel.OnnxRuntime;

/// <summary>How PadKernel loads ONNX Runtime GenAI model folders.</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>
    /// Gets or sets the execution provider: <c>cpu</c> (default, in the <c>Microsoft.ML.OnnxRuntimeGenAI</c> package),
    /// <c>cuda</c> (needs <c>Microsoft.ML.OnnxRuntimeGenAI.Cuda</c>) or <c>dml</c> (needs
    /// <c>Microsoft.ML.OnnxRuntimeGenAI.DirectML</c>, Windows). Other GenAI provider names are passed through.
    /// </summary>
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>Gets or sets the GPU device id used by <c>cuda</c>/<c>dml</c>; null keeps GenAI's default (0).</summary>
    public int? DeviceId { get; set; }

    /// <summary>
    /// Gets or sets the number of threads inside one operator (0 lets ONNX Runtime choose). When null,
    /// genai_config.json's <c>intra_op_num_threads</c> applies, else 1 for models under 64 MiB, which are too small
    /// to repay a thread pool (stories260K runs several times faster on one thread on a busy 2-core machine).
    /// </summary>
    public int? IntraOpThreads { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether contexts of one request that use the same model (base and
    /// self-contrast reward contexts) run as rows of one batched GenAI generator (default) instead of one generator
    /// each. Rows are measured to decode exactly like single runs (see docs/onnxruntime.md).
    /// </summary>
    public bool BatchContexts { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether loading fails with <see cref="PadKernel.Alignment.VocabularyMismatchException"/>
    /// when the folder's tokenizer knows ids that the model has no logits for (default true): such a tokenizer
    /// produces ids the model cannot read. Set it to false only to drive the model with token ids you choose
    /// (for example test fixtures whose tokenizer.json is larger than their model).
    /// </summary>
    public bool ValidateTokenizerVocabulary { get; set; } = true;

    /// <summary>
    /// Gets or sets the factory that creates the tokenizer of a model folder (argument: the folder).
    /// When null, the folder's <c>tokenizer.json</c> is loaded.
    /// </summary>
    public Func<string, ITokenizer>? TokenizerFactory { get; set; }
}
