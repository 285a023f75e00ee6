using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Tests.TestDoubles;

namespace PadKernel.Tests.Alignment;

public sealed class TokenMappingTests
{
    [Fact]
    public void MapsEachBaseTokenThroughItsTextAndLeavesTextlessOnesUnmapped()
    {
        TokenMapping mapping = TokenMapping.Create(new ByteTokenizer(), 259, new AsciiTokenizer(), 98);

        Assert.Equal(AsciiTokenizer.IdOf('a'), mapping.MapCandidate('a' + 3));
        Assert.Equal(AsciiTokenizer.IdOf(' '), mapping.MapCandidate(' ' + 3));
        Assert.Equal([AsciiTokenizer.IdOf('Z')], mapping.Encoding('Z' + 3).ToArray());
        Assert.Equal(-1, mapping.MapCandidate(1)); // BOS has no text
        Assert.Equal(-1, mapping.MapCandidate(0xC3 + 3)); // half of a UTF-8 character
        Assert.Equal(-1, mapping.MapCandidate('\n' + 3)); // text the reward tokenizer cannot encode
        Assert.Equal(95, mapping.MappedCount);
    }

    [Fact]
    public void DropsRewardIdsOutsideTheRewardModelsVocabulary()
    {
        // A reward model smaller than its tokenizer (as the GPT-2 test fixture is): ids >= 50 are unknown to it.
        TokenMapping mapping = TokenMapping.Create(new ByteTokenizer(), 259, new AsciiTokenizer(), 50);

        Assert.Equal(AsciiTokenizer.IdOf('A'), mapping.MapCandidate('A' + 3));
        Assert.Equal(-1, mapping.MapCandidate('a' + 3));
        Assert.True(mapping.Encoding('a' + 3).IsEmpty);
    }

    [Fact]
    public void IsComputedOncePerPairOfTokenizers()
    {
        using var baseModel = new ScriptedModel(seed: 1);
        var ascii = new AsciiTokenizer();
        using var rewardA = new ScriptedModel(seed: 2, vocabularySize: 98, tokenizer: ascii);
        using var rewardB = new ScriptedModel(seed: 3, vocabularySize: 98, tokenizer: ascii);

        Assert.Same(TokenMapping.For(baseModel, rewardA), TokenMapping.For(baseModel, rewardB));
    }

    [Fact]
    public void PadWithAnotherTokenizerScoresMappedCandidatesByTheRuleAndUnmappedOnesNeutrally()
    {
        using var baseModel = new ScriptedModel(seed: 7, contextLength: 256);
        using var rewardModel = new ScriptedModel(seed: 8, vocabularySize: 98, contextLength: 256, tokenizer: new AsciiTokenizer());
        DecodeRequest request = PadPrompts.CreateRawRequest(
            baseModel, "Once", [new Preference("Dogs.", 2f)], new GenerationOptions { MaxTokens = 24, PadTopK = 20, IncludeTrace = true }, RewardMode.RewardModel, rewardModel);
        TokenMapping mapping = TokenMapping.For(baseModel, rewardModel);

        GenerationResult result = PadDecoder.Generate(request);

        using IModelSequence baseSequence = baseModel.CreateSequence();
        using IModelSequence reward = rewardModel.CreateSequence();
        baseSequence.Append(request.Context.ToArray());
        reward.Append(request.Rewards[0].Context.ToArray());
        bool sawUnmapped = false;
        for (int step = 0; step < result.TokenIds.Count; step++)
        {
            float[] lb = baseSequence.Logits.ToArray();
            int[] k = Enumerable.Range(0, lb.Length).OrderByDescending(i => lb[i]).ThenBy(i => i).Take(20).ToArray();
            int[] mapped = k.Where(id => mapping.MapCandidate(id) >= 0).ToArray();
            double[] lr = PadMath.LogSoftmax(mapped.Select(id => (double)reward.Logits[mapping.MapCandidate(id)]).ToArray());
            double[] lbMapped = PadMath.LogSoftmax(mapped.Select(id => (double)lb[id]).ToArray());
            double[] expectedReward = k.Select(id => Array.IndexOf(mapped, id) is int j and >= 0 ? lr[j] - lbMapped[j] : 0).ToArray();
            sawUnmapped |= mapped.Length < k.Length;

            PadStep traced = result.Trace[step];
            for (int j = 0; j < k.Length; j++)
            {
                Assert.Equal(expectedReward[j], traced.Candidates[j].Rewards[0], 1e-4);
            }

            double[] scores = k.Select((id, j) => lb[id] + (2 * expectedReward[j])).ToArray();
            int chosen = result.TokenIds[step];
            Assert.Equal(k[Array.IndexOf(scores, scores.Max())], chosen);
            baseSequence.Append([chosen]);
            if (!mapping.Encoding(chosen).IsEmpty)
            {
                reward.Append(mapping.Encoding(chosen));
            }
        }

        Assert.Equal(24, result.TokenIds.Count);
        Assert.True(sawUnmapped);
        Assert.Contains(result.Trace, s => s.Changed);
    }

    [Fact]
    public void ARewardModelNoBaseTokenMapsToIsAVocabularyMismatch()
    {
        using var baseModel = new ScriptedModel(seed: 1);
        using var rewardModel = new ScriptedModel(seed: 2, vocabularySize: 3, tokenizer: new AsciiTokenizer());
        DecodeRequest request = new()
        {
            Model = baseModel,
            Context = [1, 'O' + 3],
            Rewards = [new RewardContext(rewardModel, [1], 1f, "none")],
        };

        var error = Assert.Throws<VocabularyMismatchException>(() => PadDecoder.Decode(request));
        Assert.Contains("scripted-2", error.Message, StringComparison.Ordinal);
    }
}
