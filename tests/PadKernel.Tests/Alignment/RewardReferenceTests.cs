using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Tests.TestDoubles;

namespace PadKernel.Tests.Alignment;

/// <summary>Reward-model mode's reference for each reward: the joined base row, or the base model reading that preference alone.</summary>
public sealed class RewardReferenceTests
{
    private static readonly Preference[] Two = [new("The story is about a dog.", 2f), new("Sad.", 1f)];

    [Fact]
    public void CreateRawRequest_PerPreference_GivesEachRewardTheBaseModelReadingItsPreferenceAlone()
    {
        using var model = new ScriptedModel(seed: 30);
        using var persrm = new ScriptedModel(seed: 31);

        DecodeRequest joined = PadPrompts.CreateRawRequest(model, "Once", Two, Options(), RewardMode.RewardModel, persrm);
        DecodeRequest perPreference = PadPrompts.CreateRawRequest(model, "Once", Two, Options(), RewardMode.RewardModel, persrm, RewardReference.PerPreference);

        Assert.Equal(PadPrompts.Encode(model, "The story is about a dog. Sad.\n\nOnce"), perPreference.Context);
        Assert.Equal(joined.Context, perPreference.Context);
        Assert.All(joined.Rewards, r => Assert.Null(r.ReferenceContext));
        for (int i = 0; i < Two.Length; i++)
        {
            Assert.Equal(PadPrompts.Encode(model, Two[i].Text + "\n\nOnce"), perPreference.Rewards[i].ReferenceContext);
            Assert.Equal(joined.Rewards[i].Context, perPreference.Rewards[i].Context);
        }
    }

    [Fact]
    public void Decode_PerPreferenceReference_MeasuresEachRewardAgainstItsOwnBaseRow()
    {
        using var model = new ScriptedModel(seed: 32);
        using var persrm = new ScriptedModel(seed: 33);
        DecodeRequest joined = PadPrompts.CreateRawRequest(model, "Once", Two, Options(), RewardMode.RewardModel, persrm);
        DecodeRequest perPreference = PadPrompts.CreateRawRequest(model, "Once", Two, Options(), RewardMode.RewardModel, persrm, RewardReference.PerPreference);

        GenerationResult joinedResult = PadDecoder.Generate(joined);
        GenerationResult perPreferenceResult = PadDecoder.Generate(perPreference);

        PadRuleCheck.AssertFollowsTheRule(joined, joinedResult);
        PadRuleCheck.AssertFollowsTheRule(perPreference, perPreferenceResult);
        Assert.NotEqual(joinedResult.Trace[0].Candidates.Select(c => c.Rewards[0]), perPreferenceResult.Trace[0].Candidates.Select(c => c.Rewards[0]));
        Assert.Equal(3, model.MaxBatchSize); // the base row and one reference row per preference, in one forward call
    }

    [Fact]
    public void Decode_OnePreference_IsIdenticalUnderBothReferencesWithoutAnExtraRow()
    {
        using var model = new ScriptedModel(seed: 34);
        using var persrm = new ScriptedModel(seed: 35);
        Preference[] one = [Two[0]];

        GenerationResult joined = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", one, Options(), RewardMode.RewardModel, persrm));
        GenerationResult perPreference = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", one, Options(), RewardMode.RewardModel, persrm, RewardReference.PerPreference));

        Assert.Equal(joined.TokenIds, perPreference.TokenIds);
        Assert.Equal(joined.Trace.SelectMany(s => s.Candidates.Select(c => c.Score)), perPreference.Trace.SelectMany(s => s.Candidates.Select(c => c.Score)));
        Assert.Equal(1, model.MaxBatchSize);
    }

    [Fact]
    public void Decode_PerPreferenceReferenceWithAnotherTokenizer_RenormalizesTheReferenceOverTheMappedCandidates()
    {
        using var model = new ScriptedModel(seed: 36);
        using var ascii = new ScriptedModel(seed: 37, vocabularySize: 98, tokenizer: new AsciiTokenizer());
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once", Two, Options(), RewardMode.RewardModel, ascii, RewardReference.PerPreference);
        TokenMapping mapping = TokenMapping.For(model, ascii);

        GenerationResult result = PadDecoder.Generate(request);

        using var rows = new ReferenceRows(request);
        bool sawUnmapped = false;
        for (int step = 0; step < result.TokenIds.Count; step++)
        {
            PadStep traced = result.Trace[step];
            int[] mapped = traced.Candidates.Select(c => c.TokenId).Where(id => mapping.MapCandidate(id) >= 0).ToArray();
            for (int i = 0; i < Two.Length; i++)
            {
                float[] reward = rows.Reward(i), reference = rows.Reference(i);
                double[] lr = PadMath.LogSoftmax(mapped.Select(id => (double)reward[mapping.MapCandidate(id)]).ToArray());
                double[] lref = PadMath.LogSoftmax(mapped.Select(id => (double)reference[id]).ToArray());
                foreach (PadCandidate candidate in traced.Candidates)
                {
                    int j = Array.IndexOf(mapped, candidate.TokenId);
                    sawUnmapped |= j < 0;
                    Assert.Equal(j < 0 ? 0 : lr[j] - lref[j], candidate.Rewards[i], 1e-4);
                }
            }

            rows.Append(traced.ChosenTokenId);
        }

        Assert.True(sawUnmapped);
    }

    private static GenerationOptions Options() => new() { MaxTokens = 16, IncludeTrace = true };
}
