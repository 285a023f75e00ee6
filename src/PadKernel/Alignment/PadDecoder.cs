using System.Runtime.CompilerServices;
using PadKernel.Decoding;

namespace PadKernel.Alignment;

/// <summary>
/// Personalized Alignment at Decoding-time. At every step: K = top-k ids of the base logits l_b;
/// r_i(a) = logsoftmax_K(l_r,i)(a) - logsoftmax_K(l_b)(a); s(a) = l_b(a) + sum_i w_i r_i(a); the next token is
/// argmax s (greedy) or drawn from softmax(s / T) over K, and it is appended to every context.
/// </summary>
/// <remarks>
/// When every weight is 0 (or there is no reward), the reward contexts are not even evaluated and decoding is plain
/// decoding, so w = 0 reproduces it exactly, sampling included. Contexts of the same model advance in one batched
/// forward call per step.
/// </remarks>
public static class PadDecoder
{
    /// <summary>Decodes token by token. Validation happens before the first token is requested.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="VocabularyMismatchException">No base token maps to a token of a reward model with another vocabulary.</exception>
    /// <exception cref="Models.ContextLengthExceededException">A context is longer than its model's context length.</exception>
    public static IEnumerable<GenerationUpdate> Decode(DecodeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        DecodeSession.Validate(request);
        return Run(request, cancellationToken);
    }

    /// <summary>Decodes token by token on the thread pool, yielding each update as it is produced.</summary>
    public static async IAsyncEnumerable<GenerationUpdate> DecodeAsync(DecodeRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IEnumerable<GenerationUpdate> updates = Decode(request, cancellationToken);

        // The loop is CPU-bound: leave the caller's context before the first forward pass.
        await Task.Yield();
        foreach (GenerationUpdate update in updates)
        {
            yield return update;
        }
    }

    /// <summary>Decodes to the end and returns the whole result.</summary>
    public static GenerationResult Generate(DecodeRequest request, CancellationToken cancellationToken = default)
    {
        var ids = new List<int>();
        var text = new System.Text.StringBuilder();
        var trace = new List<PadStep>();
        FinishReason finish = FinishReason.Length;
        int changed = 0;
        foreach (GenerationUpdate update in Decode(request, cancellationToken))
        {
            if (update.TokenId >= 0)
            {
                ids.Add(update.TokenId);
                changed += update.ChangedByPad ? 1 : 0;
            }

            text.Append(update.Text);
            if (update.Step is not null)
            {
                trace.Add(update.Step);
            }

            finish = update.FinishReason ?? finish;
        }

        return new GenerationResult
        {
            TokenIds = ids,
            Text = text.ToString(),
            FinishReason = finish,
            PromptTokens = request.Context.Count,
            Trace = trace,
            ChangedTokens = changed,
        };
    }

    private static IEnumerable<GenerationUpdate> Run(DecodeRequest request, CancellationToken cancellationToken)
    {
        using var session = new DecodeSession(request);
        session.Prefill(cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GenerationUpdate update = session.Step();
            yield return update;
            if (update.FinishReason is not null)
            {
                yield break;
            }
        }
    }
}
