namespace PadKernel.Llama2c.Tests;

/// <summary>Both reward references with the committed PersRM (llama2.c checkpoint), token by token.</summary>
public sealed class RewardReferenceTests
{
    [Fact]
    public void Decode_TwoPreferences_EachReferenceFollowsItsRule()
    {
        using Llama2cModel persrm = PersRM();
        RewardReferenceCheck.AssertTwoPreferencesFollowEachRule(Stories260K.Model, persrm);
    }

    [Fact]
    public void Decode_OnePreference_IsTheSameUnderBothReferences()
    {
        using Llama2cModel persrm = PersRM();
        RewardReferenceCheck.AssertOnePreferenceIsTheSameUnderBoth(Stories260K.Model, persrm);
    }

    private static Llama2cModel PersRM() => (Llama2cModel)new Llama2cModelLoader().Load(TestData.Model("stories260K-persrm"));
}
