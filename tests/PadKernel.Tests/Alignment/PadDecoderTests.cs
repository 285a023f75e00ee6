using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Tests.TestDoubles;

namespace PadKernel.Tests.Alignment;

public sealed class PadDecoderTests
{
    private static readonly Preference Dog = new("The story is about a dog.", 2f);

    [Fact]
    public void ZeroWeightIsPlainDecodingExactlyAndSkipsTheRewardContext()
    {
        using var model = new ScriptedModel(seed: 1);
        GenerationResult plain = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(temperature: 0.8f)));
        int plainCalls = model.BatchCalls;

        GenerationResult zero = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog with { Weight = 0f }], Options(temperature: 0.8f)));

        Assert.Equal(plain.TokenIds, zero.TokenIds);
        Assert.Equal(plainCalls * 2, model.BatchCalls);
        Assert.Equal(1, model.MaxBatchSize);
    }

    [Fact]
    public void EveryStepFollowsThePadRule()
    {
        using var model = new ScriptedModel(seed: 2);
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once", [Dog, new Preference("Sad.", 0.5f)], Options(includeTrace: true));

        // Recompute each step from fresh sequences fed the same tokens: the trace must match the rule.
        GenerationResult result = PadDecoder.Generate(request);
        PadRuleCheck.AssertFollowsTheRule(request, result);
        Assert.Contains(result.Trace, s => s.Changed);
    }

    [Fact]
    public void BaseAndSelfContrastRewardContextsAdvanceInOneBatchedCall()
    {
        using var model = new ScriptedModel(seed: 3);
        GenerationResult result = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog, Dog with { Text = "Happy." }], Options(maxTokens: 12)));

        Assert.Equal(12, result.TokenIds.Count);
        Assert.Equal(11, model.BatchCalls);
        Assert.Equal(3, model.MaxBatchSize);
    }

    [Fact]
    public void SamplingWithASeedIsReproducibleAndDiffersFromGreedy()
    {
        using var model = new ScriptedModel(seed: 4);
        DecodeRequest Sampled(int seed) => PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(temperature: 1.5f, seed: seed, maxTokens: 40));

        GenerationResult first = PadDecoder.Generate(Sampled(9));
        GenerationResult second = PadDecoder.Generate(Sampled(9));
        GenerationResult greedy = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(maxTokens: 40)));

        Assert.Equal(first.TokenIds, second.TokenIds);
        Assert.NotEqual(greedy.TokenIds, first.TokenIds);
    }

    [Fact]
    public void StopsAtEndOfSequenceAndAtTheTokenLimit()
    {
        using var model = new ScriptedModel(seed: 5) { EndOfSequenceAfter = 6 };
        GenerationResult stopped = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options()));
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Single(stopped.TokenIds); // BOS + 4 prompt bytes + 1 generated = 6 tokens, then EOS

        using var open = new ScriptedModel(seed: 5);
        GenerationResult limited = PadDecoder.Generate(PadPrompts.CreateRawRequest(open, "Once", [], Options(maxTokens: 7)));
        Assert.Equal(FinishReason.Length, limited.FinishReason);
        Assert.Equal(7, limited.TokenIds.Count);
    }

    [Fact]
    public void StopsWhenAContextReachesTheModelsContextLength()
    {
        using var model = new ScriptedModel(seed: 6, contextLength: 40);
        GenerationResult result = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [new Preference("Dog.", 1f)], Options(maxTokens: 100)));

        // The reward context (BOS + "Dog.\n\nOnce") is the longer one and fills up first.
        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(40 - 11 + 1, result.TokenIds.Count);
    }

    [Fact]
    public void RejectsAPromptLongerThanTheContextBeforeDecoding()
    {
        using var model = new ScriptedModel(seed: 9, contextLength: 16);
        Assert.Throws<ContextLengthExceededException>(() => PadDecoder.Decode(PadPrompts.CreateRawRequest(model, new string('a', 40), [], Options())));
    }

    [Fact]
    public void RejectsInvalidOptionsNamingTheOption()
    {
        using var model = new ScriptedModel(seed: 10);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PadDecoder.Decode(PadPrompts.CreateRawRequest(model, "x", [], Options(temperature: -1f))));
        Assert.Equal("Temperature", error.ParamName);
    }

    [Fact]
    public void CancellationStopsBetweenTokens()
    {
        using var model = new ScriptedModel(seed: 11);
        using var cancellation = new CancellationTokenSource();
        int seen = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (GenerationUpdate _ in PadDecoder.Decode(PadPrompts.CreateRawRequest(model, "Once", [Dog], Options()), cancellation.Token))
            {
                if (++seen == 3)
                {
                    cancellation.Cancel();
                }
            }
        });
        Assert.Equal(3, seen);
    }

    [Fact]
    public void StopSequencesEndGenerationAndAreNotReturned()
    {
        using var model = new ScriptedModel(seed: 12);
        GenerationResult free = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(maxTokens: 30)));
        string stop = free.Text.Substring(10, 3);

        GenerationResult stopped = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(maxTokens: 30, stop: stop)));

        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
    }

    private static GenerationOptions Options(float temperature = 0f, int? seed = 1, int maxTokens = 20, bool includeTrace = false, string? stop = null) => new()
    {
        Temperature = temperature,
        Seed = seed,
        MaxTokens = maxTokens,
        IncludeTrace = includeTrace,
        StopSequences = stop is null ? [] : [stop],
    };
}
