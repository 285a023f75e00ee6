using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Logits;
using PadKernel.Models;
using PadKernel.Text;
using PadKernel.Tests.TestDoubles;

namespace PadKernel.Tests.Logits;

/// <summary>User links of the logits pipeline, added per request through <see cref="GenerationOptions.LogitsProcessors"/>.</summary>
public sealed class UserProcessorTests
{
    private static readonly Preference Dog = new("The story is about a dog.", 2f);
    private static readonly Preference Sad = new("Sad.", 0.5f);

    [Fact]
    public void Decode_PadWithLogitBias_FollowsThePadRuleOnTheBiasedScoresTokenByToken()
    {
        using var model = new ScriptedModel(seed: 2);
        var bias = new Dictionary<int, float> { [100] = 3f, [101] = float.NegativeInfinity, [150] = 2f, [200] = -1.5f };
        DecodeRequest unbiased = PadPrompts.CreateRawRequest(model, "Once", [Dog, Sad], Options(includeTrace: true));
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once", [Dog, Sad], Options(includeTrace: true, processors: new LogitBias(bias)));

        GenerationResult result = PadDecoder.Generate(request);

        // K and the score's l_b term come from the biased base scores, the rewards from the unbiased rows.
        PadRuleCheck.AssertFollowsTheRule(request, result, lb => lb.Select((v, id) => v + bias.GetValueOrDefault(id)).ToArray());
        Assert.DoesNotContain(101, result.TokenIds);
        Assert.NotEqual(PadDecoder.Generate(unbiased).TokenIds, result.TokenIds);
    }

    [Fact]
    public void Decode_LogitBiasBan_NeverEmitsTheBannedTokenInPlainOrPadDecoding()
    {
        using var model = new ScriptedModel(seed: 7);
        GenerationResult free = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options()));
        int banned = free.TokenIds.GroupBy(id => id).OrderByDescending(g => g.Count()).First().Key;
        var ban = new LogitBias(new Dictionary<int, float> { [banned] = float.NegativeInfinity });

        GenerationResult plain = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(processors: ban)));
        GenerationResult pad = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(processors: ban)));
        GenerationResult sampled = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(temperature: 1.5f, processors: ban)));

        Assert.DoesNotContain(banned, plain.TokenIds);
        Assert.DoesNotContain(banned, pad.TokenIds);
        Assert.DoesNotContain(banned, sampled.TokenIds);
        int firstBanned = free.TokenIds.ToList().IndexOf(banned);
        Assert.Equal(free.TokenIds.Take(firstBanned), plain.TokenIds.Take(firstBanned));
    }

    [Fact]
    public void Decode_WordBias_BiasesTheWordsLastTokenOnlyAfterItsOtherTokens()
    {
        using var model = new ScriptedModel(seed: 8);
        int a = 'a' + 3, b = 'b' + 3; // ByteTokenizer: id = byte + 3
        var alwaysA = new LogitBias(new Dictionary<int, float> { [a] = 50f });
        var word = new LogitBias(words: new Dictionary<string, float> { ["ab"] = 100f });

        GenerationResult aOnly = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(maxTokens: 8, processors: alwaysA)));
        GenerationResult withWord = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(maxTokens: 8, processors: [alwaysA, word])));

        Assert.Equal("aaaaaaaa", aOnly.Text);
        Assert.Equal("abababab", withWord.Text);
        Assert.Equal([[' ' + 3, a, b], [a, b]], LogitBias.TokenSequencesOfWord(model.Tokenizer, model.Info.VocabularySize, "ab"));
    }

    [Fact]
    public void Decode_MinP_KeepsOnlyCandidatesWithinMinPOfTheTopProbability()
    {
        using var model = new ScriptedModel(seed: 9);
        const float MinP = 0.9f;
        GenerationResult result = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(includeTrace: true, processors: new MinPFilter(MinP))));
        GenerationResult unfiltered = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(includeTrace: true)));

        foreach (PadStep step in result.Trace)
        {
            float top = step.Candidates[0].BaseLogit;
            Assert.All(step.Candidates, c => Assert.True(c.BaseLogit >= top + MathF.Log(MinP)));
        }

        Assert.Contains(result.Trace, s => s.Candidates.Count < 10);
        Assert.All(unfiltered.Trace, s => Assert.Equal(10, s.Candidates.Count));
    }

    [Fact]
    public void Decode_UserProcessor_IsResetThenAcceptsThePromptAndEveryChosenTokenAndSeesEachStep()
    {
        using var model = new ScriptedModel(seed: 10);
        var recorder = new RecordingFactory();
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(maxTokens: 6, processors: recorder));

        GenerationResult result = PadDecoder.Generate(request);

        RecordingProcessor processor = Assert.Single(recorder.Created);
        Assert.Equal(request.Context, processor.Context.PromptIds);
        Assert.Equal(model.Info.VocabularySize, processor.Context.Model.VocabularySize);
        string[] expected =
        [
            "reset",
            .. request.Context.Select(id => $"accept {id}"),
            .. result.TokenIds.SelectMany((id, i) => new[] { $"apply {i} after {i} generated, {model.Info.VocabularySize} candidates, 1 reward", $"accept {id}" }),
        ];
        Assert.Equal(expected, processor.Events);
    }

    [Fact]
    public void Decode_ConcurrentRequestsWithOneFactory_EachGetsItsOwnProcessor()
    {
        using var model = new ScriptedModel(seed: 11);
        var recorder = new RecordingFactory();
        GenerationOptions options = Options(maxTokens: 5, processors: recorder);

        Parallel.For(0, 4, _ => PadDecoder.Generate(PadPrompts.CreateRawRequest(new ScriptedModel(seed: 11), "Once", [], options)));

        Assert.Equal(4, recorder.Created.Count);
        Assert.All(recorder.Created, p => Assert.Equal(5, p.Events.Count(e => e.StartsWith("apply", StringComparison.Ordinal))));
    }

    [Fact]
    public void Decode_ZeroWeightWithUserProcessor_EqualsPlainDecodingWithIt()
    {
        using var model = new ScriptedModel(seed: 12);
        var bias = new LogitBias(new Dictionary<int, float> { [120] = 4f, [130] = 6f });

        GenerationResult plain = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(temperature: 0.9f, processors: bias)));
        GenerationResult zero = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog with { Weight = 0f }], Options(temperature: 0.9f, processors: bias)));

        Assert.Equal(plain.TokenIds, zero.TokenIds);
        Assert.Equal(0, model.GatheredSequences);
    }

    [Fact]
    public void Decode_ProcessorsThatRemoveEveryToken_ThrowsInvalidLogitsNamingModelAndStep()
    {
        using var model = new ScriptedModel(seed: 13);
        var banAll = new LogitBias(Enumerable.Range(0, model.Info.VocabularySize).ToDictionary(id => id, _ => float.NegativeInfinity));

        foreach (GenerationOptions options in new[] { Options(processors: banAll), Options(temperature: 1f, processors: banAll) })
        {
            var error = Assert.Throws<InvalidLogitsException>(() => PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], options)));
            Assert.Equal(model.Info.ModelId, error.ModelId);
            Assert.Equal(0, error.Step);
        }
    }

    [Fact]
    public void Decode_DocumentedNoDigitsLink_NeverWritesADigit()
    {
        using var model = new ScriptedModel(seed: 15);
        int[] digits = [.. "0123456789".Select(c => c + 3)];
        GenerationResult free = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], Options(maxTokens: 200)));
        Assert.Contains(free.TokenIds, digits.Contains);

        var options = new GenerationOptions { MaxTokens = 200, LogitsProcessors = [new NoDigits(), new MinPFilter(0.05f)] };
        GenerationResult result = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog], options));

        Assert.DoesNotContain(result.TokenIds, digits.Contains);
    }

    [Fact]
    public void LogitBias_InvalidInput_ThrowsNamingTheArgument()
    {
        using var model = new ScriptedModel(seed: 14);
        Assert.Equal("tokens", Assert.Throws<ArgumentOutOfRangeException>(() => new LogitBias(new Dictionary<int, float> { [3] = float.NaN })).ParamName);
        Assert.Equal("words", Assert.Throws<ArgumentOutOfRangeException>(() => new LogitBias(words: new Dictionary<string, float> { ["x"] = float.PositiveInfinity })).ParamName);
        Assert.Equal("words", Assert.Throws<ArgumentException>(() => new LogitBias(words: new Dictionary<string, float> { [" "] = 1f })).ParamName);
        Assert.Throws<ArgumentException>(() => new LogitBias());
        Assert.Equal("minP", Assert.Throws<ArgumentOutOfRangeException>(() => new MinPFilter(0f)).ParamName);

        var outside = new LogitBias(new Dictionary<int, float> { [model.Info.VocabularySize] = 1f });
        Assert.Throws<ArgumentOutOfRangeException>(() => PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], Options(processors: outside))));
    }

    private static GenerationOptions Options(float temperature = 0f, int maxTokens = 20, bool includeTrace = false, params ILogitsProcessorFactory[] processors) => new()
    {
        Temperature = temperature,
        Seed = 1,
        MaxTokens = maxTokens,
        IncludeTrace = includeTrace,
        LogitsProcessors = processors,
    };

    /// <summary>The example of docs/architecture.md ("Extending it: a user link"), verbatim.</summary>
    public sealed class NoDigits : ILogitsProcessorFactory
    {
        public ILogitsProcessor Create(LogitsProcessorContext context)
        {
            var banned = new bool[context.Model.VocabularySize];
            for (int id = 0; id < banned.Length; id++)
            {
                banned[id] = context.Tokenizer.Decode([id], previousTokenId: id).Any(char.IsAsciiDigit);
            }

            return new Processor(banned);
        }

        private sealed class Processor(bool[] banned) : ILogitsProcessor
        {
            public void Apply(TokenCandidates candidates, LogitsStep step)
            {
                Span<int> ids = candidates.Ids;
                Span<float> scores = candidates.Scores;
                for (int i = 0; i < ids.Length; i++)
                {
                    if (banned[ids[i]])
                    {
                        scores[i] = float.NegativeInfinity;
                    }
                }
            }
        }
    }

    private sealed class RecordingFactory : ILogitsProcessorFactory
    {
        private readonly List<RecordingProcessor> _created = [];

        public IReadOnlyList<RecordingProcessor> Created
        {
            get
            {
                lock (_created)
                {
                    return [.. _created];
                }
            }
        }

        public ILogitsProcessor Create(LogitsProcessorContext context)
        {
            var processor = new RecordingProcessor(context);
            lock (_created)
            {
                _created.Add(processor);
            }

            return processor;
        }
    }

    private sealed class RecordingProcessor(LogitsProcessorContext context) : ILogitsProcessor
    {
        public LogitsProcessorContext Context => context;

        public List<string> Events { get; } = [];

        public void Apply(TokenCandidates candidates, LogitsStep step) =>
            Events.Add($"apply {step.Index} after {step.GeneratedIds.Length} generated, {candidates.Count} candidates, {step.Rewards.Count} reward");

        public void Accept(int tokenId) => Events.Add($"accept {tokenId}");

        public void Reset() => Events.Add("reset");
    }
}
