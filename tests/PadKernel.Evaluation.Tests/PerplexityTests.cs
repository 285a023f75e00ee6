using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Evaluation.Metrics;
using PadKernel.Models;

namespace PadKernel.Evaluation.Tests;

public sealed class PerplexityTests(StoryModel story) : IClassFixture<StoryModel>
{
    [Fact]
    public void PerplexityEqualsTheValueComputedFromTheModelsLogits()
    {
        ILanguageModel model = story.Model;
        List<int> context = PadPrompts.Encode(model, "Once upon a time, there was a little dog.");

        // A continuation the model did not pick greedily everywhere: sampled, so some tokens are unlikely.
        GenerationResult generated = PadDecoder.Generate(new DecodeRequest
        {
            Model = model,
            Context = context,
            Options = new GenerationOptions { MaxTokens = 24, Temperature = 1.2f, Seed = 7 },
        });
        IReadOnlyList<int> continuation = generated.TokenIds;
        Assert.True(continuation.Count >= 10);

        LikelihoodResult scored = Perplexity.Score(model, context, continuation);

        // Directly: for each position, prefill the whole prefix in a fresh sequence and take log softmax of its logits.
        double nll = 0;
        for (int i = 0; i < continuation.Count; i++)
        {
            using IModelSequence sequence = model.CreateSequence();
            sequence.Append([.. context, .. continuation.Take(i)]);
            float[] logits = sequence.Logits.ToArray();
            double max = logits.Max();
            double logZ = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            nll += logZ - logits[continuation[i]];
        }

        Assert.Equal(continuation.Count, scored.Tokens);
        Assert.Equal(nll, scored.NegativeLogLikelihood, 1e-3);
        Assert.Equal(Math.Exp(nll / continuation.Count), scored.Perplexity, 1e-4);
        Assert.True(scored.Perplexity > 1);
    }

    [Fact]
    public void GreedyTextIsMoreLikelyThanAShuffledCopy()
    {
        ILanguageModel model = story.Model;
        List<int> context = PadPrompts.Encode(model, "Tom found a box under his bed.");
        GenerationResult greedy = PadDecoder.Generate(new DecodeRequest { Model = model, Context = context, Options = new GenerationOptions { MaxTokens = 20 } });
        int[] shuffled = greedy.TokenIds.Reverse().ToArray();

        Assert.True(Perplexity.Score(model, context, greedy.TokenIds).Perplexity < Perplexity.Score(model, context, shuffled).Perplexity);
    }
}
