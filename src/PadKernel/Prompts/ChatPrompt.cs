using System.Text;
using PadKernel.Text;

namespace PadKernel.Prompts;

/// <summary>A rendered chat prompt: a list of text and control-token segments, ready to encode.</summary>
public sealed class ChatPrompt
{
    /// <summary>Initializes a new instance of the <see cref="ChatPrompt"/> class.</summary>
    public ChatPrompt(IReadOnlyList<PromptSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Segments = segments;
    }

    /// <summary>Gets the segments in order.</summary>
    public IReadOnlyList<PromptSegment> Segments { get; }

    /// <summary>
    /// Encodes the prompt: BOS first when <paramref name="bosTokenId"/> is not negative, control segments through
    /// <see cref="ITokenizer.TryGetSpecialTokenId"/>, text segments through <see cref="ITokenizer.Encode"/> (so text can
    /// never produce a control token).
    /// </summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="bosTokenId">The BOS id, or -1 for none.</param>
    /// <param name="cancellationToken">Stops the encoding between segments and, for tokenizers that support it, within a long text.</param>
    /// <exception cref="PadKernelException">A required control token is unknown to the tokenizer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public List<int> Encode(ITokenizer tokenizer, int bosTokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>();
        if (bosTokenId >= 0)
        {
            ids.Add(bosTokenId);
        }

        // SentencePiece tokenizers add their dummy-prefix space at the start of a text run: the first one, and one that
        // follows a control token (as Hugging Face's legacy Llama tokenizer does).
        bool atStart = true;
        foreach (PromptSegment segment in Segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (segment.Kind != PromptSegmentKind.Text && tokenizer.TryGetSpecialTokenId(segment.Value, out int id))
            {
                ids.Add(id);
                atStart = true;
                continue;
            }

            if (segment.Kind == PromptSegmentKind.Control)
            {
                throw new PadKernelException($"The chat template needs the control token '{segment.Value}', which the model's tokenizer does not have; choose another chat template.");
            }

            if (segment.Value.Length > 0)
            {
                tokenizer.EncodeCancellable(segment.Value, ids, atStart, cancellationToken);
                atStart = false;
            }
        }

        return ids;
    }

    /// <summary>Returns the prompt as display text, control tokens in ⟨angle brackets⟩.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (PromptSegment segment in Segments)
        {
            text.Append(segment.ToString());
        }

        return text.ToString();
    }
}
