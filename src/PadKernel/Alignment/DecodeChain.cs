using PadKernel.Decoding;
using PadKernel.Logits;

namespace PadKernel.Alignment;

/// <summary>
/// Builds a request's logits pipeline from its options:
/// finite-logits guard → repetition penalty → the user's links → top-k (PAD's K, or plain top-k when sampling) →
/// PAD's reward link → temperature → top-p → selector (greedy, or seeded sampling). A link that cannot change the
/// result is left out: no PAD link when no reward has a non-zero weight (w = 0 is plain decoding, exactly and for
/// free), no penalty at 1, no temperature, top-k or top-p for greedy decoding.
/// </summary>
internal static class DecodeChain
{
    /// <summary>The pipeline and the parts of it the session reads after a step.</summary>
    public sealed record Built(LogitsPipeline Pipeline, PadRewardLink? Pad, PadTraceRecorder? Trace);

    public static Built Create(DecodeRequest request, LogitsStep step)
    {
        GenerationOptions options = request.Options;
        int vocabulary = request.Model.Info.VocabularySize;
        bool pad = step.Rewards.Count > 0;
        bool sampling = options.Temperature != 0f;
        int k = Math.Min(options.PadTopK, vocabulary);

        var links = new List<ILogitsProcessor> { new FiniteLogitsGuard() };
        RepetitionPenalty? penalty = options.RepetitionPenalty != 1f ? new RepetitionPenalty(options.RepetitionPenalty, vocabulary, (int)Math.Min(vocabulary, (long)request.Context.Count + options.MaxTokens)) : null;
        if (penalty is not null)
        {
            links.Add(penalty);
        }

        if (options.LogitsProcessors.Count > 0)
        {
            var context = new Logits.LogitsProcessorContext { Model = request.Model.Info, Tokenizer = request.Model.Tokenizer, PromptIds = request.Context, Options = options };
            foreach (ILogitsProcessorFactory factory in options.LogitsProcessors)
            {
                links.Add(factory.Create(context) ?? throw new InvalidOperationException($"The logits processor factory {factory.GetType().Name} returned null."));
            }
        }

        PadRewardLink? reward = null;
        PadTraceRecorder? trace = null;
        if (pad)
        {
            reward = new PadRewardLink(k, step.Rewards.Count, penalty, step.ModelId);
            links.Add(new TopKFilter(k));
            links.Add(reward);
            trace = options.IncludeTrace ? new PadTraceRecorder(k, reward) : null;
        }
        else
        {
            if (options.IncludeTrace)
            {
                trace = new PadTraceRecorder(k, pad: null);
                links.Add(trace);
            }

            if (sampling && options.TopK > 0 && options.TopK < vocabulary)
            {
                links.Add(new TopKFilter(options.TopK));
            }
        }

        if (sampling)
        {
            links.Add(new TemperatureScaling(options.Temperature));
            if (options.TopP < 1f)
            {
                links.Add(new TopPFilter(options.TopP, vocabulary));
            }

            links.Add(new SamplingSelector(options.Seed is int seed ? new Random(seed) : new Random()));
        }
        else
        {
            links.Add(new GreedySelector());
        }

        return new Built(new LogitsPipeline([.. links], step, vocabulary), reward, trace);
    }
}
