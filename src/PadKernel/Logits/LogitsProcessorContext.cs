using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Logits;

/// <summary>What an <see cref="ILogitsProcessorFactory"/> knows about the request it creates a processor for.</summary>
public sealed class LogitsProcessorContext
{
    /// <summary>Gets the base model's description: vocabulary size (the candidates' id range), special ids, name.</summary>
    public required ModelInfo Model { get; init; }

    /// <summary>Gets the base model's tokenizer, to turn words into token ids.</summary>
    public required ITokenizer Tokenizer { get; init; }

    /// <summary>Gets the base context's token ids.</summary>
    public required IReadOnlyList<int> PromptIds { get; init; }

    /// <summary>Gets the request's generation options.</summary>
    public required GenerationOptions Options { get; init; }
}
