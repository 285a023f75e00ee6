using PadKernel.Prompts;
using PadKernel.Text;

namespace PadKernel.Models;

/// <summary>
/// A loaded causal language model: the seam every runtime implements.
/// </summary>
/// <remarks>
/// One instance serves many concurrent callers: implementations keep all mutable state (KV cache, scratch buffers)
/// in the <see cref="IModelSequence"/> objects they create, so distinct sequences can be advanced from different
/// threads at the same time. A single sequence is not thread-safe.
/// </remarks>
public interface ILanguageModel : IDisposable
{
    /// <summary>Gets what the model is: vocabulary, context length, special ids.</summary>
    ModelInfo Info { get; }

    /// <summary>Gets the tokenizer that maps text to this model's token ids.</summary>
    ITokenizer Tokenizer { get; }

    /// <summary>
    /// Gets the chat template the model brings with it (for example the Jinja <c>chat_template</c> of an ONNX Runtime
    /// GenAI folder), or null when it has none; <see cref="ChatTemplate.ForModel"/> prefers it over the built-in
    /// family templates.
    /// </summary>
    ChatTemplate? ChatTemplate => null;

    /// <summary>Creates an empty sequence with its own KV cache.</summary>
    IModelSequence CreateSequence();

    /// <summary>
    /// Creates an empty sequence whose logits the decoder will read as <paramref name="access"/> says. With
    /// <see cref="LogitsAccess.Gathered"/> (PAD's reward contexts) a runtime may skip the full output projection in
    /// <see cref="DecodeBatch"/> and compute only the ids asked for in <see cref="IModelSequence.GatherLogits"/>;
    /// <see cref="IModelSequence.Logits"/> must still work (computed on demand). The default ignores the hint.
    /// </summary>
    /// <param name="access">How the logits will be read.</param>
    IModelSequence CreateSequence(LogitsAccess access) => CreateSequence();

    /// <summary>
    /// Advances several sequences of this model by one token each in one forward call.
    /// After it returns, each sequence's <see cref="IModelSequence.Logits"/> holds the next-token logits.
    /// </summary>
    /// <param name="sequences">Sequences created by this model; each appears at most once.</param>
    /// <param name="tokens">The token to append to each sequence, in the same order.</param>
    void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens);

    /// <summary>
    /// Prefills new sequences of this model, one context each, so that they can then advance together through
    /// <see cref="DecodeBatch"/>. Runtimes whose native batch is fixed when it starts (ONNX Runtime GenAI's generator)
    /// make the sequences rows of one batch here; the default appends each context on its own.
    /// </summary>
    /// <param name="sequences">Empty sequences created by this model.</param>
    /// <param name="contexts">The tokens to append to each sequence, in the same order.</param>
    void Prefill(ReadOnlySpan<IModelSequence> sequences, IReadOnlyList<IReadOnlyList<int>> contexts)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        if (sequences.Length != contexts.Count)
        {
            throw new ArgumentException($"{sequences.Length} sequences but {contexts.Count} contexts.", nameof(contexts));
        }

        for (int i = 0; i < sequences.Length; i++)
        {
            sequences[i].Append(contexts[i] switch
            {
                int[] array => array,
                List<int> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
                IReadOnlyList<int> other => other.ToArray(),
            });
        }
    }
}
