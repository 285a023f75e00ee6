using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>
/// Both reward references with stories260K and the committed PersRM as ONNX Runtime GenAI folders, token by token:
/// per-preference reference rows are rows of the base model's batched generator.
/// </summary>
public sealed class RewardReferenceTests
{
    [Fact]
    public void Decode_TwoPreferences_EachReferenceFollowsItsRule()
    {
        using ILanguageModel persrm = PersRM();
        RewardReferenceCheck.AssertTwoPreferencesFollowEachRule(TestModels.Get(TestModels.Stories), persrm);
    }

    [Fact]
    public void Decode_OnePreference_IsTheSameUnderBothReferences()
    {
        using ILanguageModel persrm = PersRM();
        RewardReferenceCheck.AssertOnePreferenceIsTheSameUnderBoth(TestModels.Get(TestModels.Stories), persrm);
    }

    private static ILanguageModel PersRM() => new Models.OnnxModelLoader().Load(TestData.Model("stories260K-persrm-onnx"));
}
