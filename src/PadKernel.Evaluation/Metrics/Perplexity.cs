using System.Numerics.Tensors;
using PadKernel.Models;

namespace PadKernel.Evaluation.Metrics;

/// <summary>Scores a continuation under a model: the summed negative log-likelihood of its tokens after a context.</summary>
public static class Perplexity
{
    /// <summary>
    /// Prefills <paramref name="context"/>, then sums -log softmax(logits)[token] over <paramref name="continuation"/>,
    /// appending each token after it is scored. Tokens that would not fit in the model's context are not scored.
    /// </summary>
    /// <param name="model">The scoring model (the base model, no preference, for fluency).</param>
    /// <param name="context">The context ids, BOS included; at least one token.</param>
    /// <param name="continuation">The continuation ids.</param>
    public static LikelihoodResult Score(ILanguageModel model, IReadOnlyList<int> context, IReadOnlyList<int> continuation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (context.Count == 0)
        {
            throw new ArgumentException("Perplexity needs a context of at least one token (usually BOS).", nameof(context));
        }

        int scored = Math.Min(continuation.Count, model.Info.ContextLength - context.Count);
        if (scored <= 0)
        {
            return new LikelihoodResult(0, 0);
        }

        using IModelSequence sequence = model.CreateSequence();
        sequence.Append(context.ToArray());
        double nll = 0;
        Span<int> one = stackalloc int[1];
        for (int i = 0; i < scored; i++)
        {
            int token = continuation[i];
            ReadOnlySpan<float> logits = sequence.Logits;
            nll += LogSumExp(logits) - logits[token];
            if (i + 1 < scored)
            {
                one[0] = token;
                sequence.Append(one);
            }
        }

        return new LikelihoodResult(nll, scored);
    }

    /// <summary>Computes log(sum(exp(x))) stably in double precision.</summary>
    public static double LogSumExp(ReadOnlySpan<float> logits)
    {
        float max = TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (float l in logits)
        {
            sum += Math.Exp(l - max);
        }

        return max + Math.Log(sum);
    }
}

/// <summary>The likelihood of a continuation.</summary>
/// <param name="NegativeLogLikelihood">The summed negative log-likelihood in nats.</param>
/// <param name="Tokens">The number of tokens scored.</param>
public readonly record struct LikelihoodResult(double NegativeLogLikelihood, int Tokens)
{
    /// <summary>Gets exp(NLL / tokens), or NaN when no token was scored.</summary>
    public double Perplexity => Tokens == 0 ? double.NaN : Math.Exp(NegativeLogLikelihood / Tokens);
}
