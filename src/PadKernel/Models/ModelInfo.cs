namespace PadKernel.Models;

/// <summary>Describes a loaded model.</summary>
public sealed record ModelInfo
{
    /// <summary>Gets a short identifier for the model (file or folder name by default).</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the number of logits the model produces per position.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Gets the maximum number of tokens a sequence can hold.</summary>
    public required int ContextLength { get; init; }

    /// <summary>Gets the beginning-of-sequence token id, or -1 when the model has none.</summary>
    public required int BosTokenId { get; init; }

    /// <summary>Gets the token ids that end generation.</summary>
    public required IReadOnlyList<int> EosTokenIds { get; init; }

    /// <summary>Gets the architecture family (for example <c>llama</c>, <c>gpt2</c>, <c>phi3</c>), used to choose a chat template.</summary>
    public string Family { get; init; } = "llama";

    /// <summary>Gets the name of the runtime that loaded the model (for example <c>llama2c</c>, <c>onnxruntime</c>).</summary>
    public string Runtime { get; init; } = "";

    /// <summary>Gets a value indicating whether the model is instruction-tuned with a chat template (false for raw models such as the story model).</summary>
    public bool IsChatModel { get; init; }
}
