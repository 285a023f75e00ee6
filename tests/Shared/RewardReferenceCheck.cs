using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using Xunit;

namespace PadKernel.Testing;

/// <summary>
/// Reward-model mode with the committed PersRM, both <see cref="RewardReference"/> options, checked token by token
/// against the rule computed from the rows' own logits; run by each runtime's tests on its own copy of the models.
/// </summary>
public static class RewardReferenceCheck
{
    private const string Prompt = "Tom found a box under his bed.";
    private static readonly Preference[] Two = [new("The story is about a frog.", 1.5f), new("The story is about a ball.", 1f)];

    /// <summary>Two preferences: each option follows its rule, and they differ.</summary>
    public static void AssertTwoPreferencesFollowEachRule(ILanguageModel story, ILanguageModel persrm)
    {
        DecodeRequest joined = PadPrompts.CreateRawRequest(story, Prompt, Two, Options(), RewardMode.RewardModel, persrm);
        DecodeRequest perPreference = PadPrompts.CreateRawRequest(story, Prompt, Two, Options(), RewardMode.RewardModel, persrm, RewardReference.PerPreference);

        GenerationResult joinedResult = PadDecoder.Generate(joined);
        GenerationResult perPreferenceResult = PadDecoder.Generate(perPreference);

        PadRuleCheck.AssertFollowsTheRule(joined, joinedResult);
        PadRuleCheck.AssertFollowsTheRule(perPreference, perPreferenceResult);
        Assert.All(perPreference.Rewards, r => Assert.NotEqual(perPreference.Context, r.ReferenceContext));
        Assert.NotEqual(
            joinedResult.Trace.SelectMany(s => s.Candidates.Select(c => c.Rewards[0])),
            perPreferenceResult.Trace.SelectMany(s => s.Candidates.Select(c => c.Rewards[0])));
    }

    /// <summary>One preference: both options give the same tokens and scores.</summary>
    public static void AssertOnePreferenceIsTheSameUnderBoth(ILanguageModel story, ILanguageModel persrm)
    {
        Preference[] one = [Two[0]];
        GenerationResult joined = PadDecoder.Generate(PadPrompts.CreateRawRequest(story, Prompt, one, Options(), RewardMode.RewardModel, persrm));
        GenerationResult perPreference = PadDecoder.Generate(PadPrompts.CreateRawRequest(story, Prompt, one, Options(), RewardMode.RewardModel, persrm, RewardReference.PerPreference));

        Assert.Equal(joined.TokenIds, perPreference.TokenIds);
        Assert.Equal(joined.Trace.SelectMany(s => s.Candidates.Select(c => c.Score)), perPreference.Trace.SelectMany(s => s.Candidates.Select(c => c.Score)));
    }

    private static GenerationOptions Options() => new() { MaxTokens = 40, IncludeTrace = true };
}
