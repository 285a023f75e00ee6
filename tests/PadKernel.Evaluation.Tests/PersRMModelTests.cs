using System.Security.Cryptography;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Llama2c;
using PadKernel.Models;

namespace PadKernel.Evaluation.Tests;

/// <summary>The personalized reward model the project trains (tools/persrm) and commits under models/.</summary>
public sealed class PersRMModelTests : IClassFixture<StoryModel>
{
    private static readonly string Folder = Path.Combine(TestData.RepositoryRoot, "models", "stories260K-persrm");
    private readonly StoryModel _story;

    public PersRMModelTests(StoryModel story) => _story = story;

    [Fact]
    public void TheCommittedFilesMatchTheirChecksums()
    {
        string[] lines = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "models", "SHA256SUMS"));
        Assert.Contains(lines, l => l.EndsWith("stories260K-persrm/stories260K-persrm.bin", StringComparison.Ordinal));
        foreach (string line in lines.Where(l => l.Length > 0))
        {
            string expected = line[..64];
            string path = Path.Combine(TestData.RepositoryRoot, "models", line[66..]);
            Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        }
    }

    [Fact]
    public void LoadsAsAStories260KModelWithTheSameVocabulary()
    {
        using ILanguageModel rm = new Llama2cModelLoader().Load(Folder);

        Assert.Equal(_story.Model.Info.VocabularySize, rm.Info.VocabularySize);
        Assert.Equal(_story.Model.Info.ContextLength, rm.Info.ContextLength);
        Assert.Equal(_story.Model.Tokenizer.VocabularySize, rm.Tokenizer.VocabularySize);
    }

    [Fact]
    public void InRewardModelModeOnAHeldOutPreferenceItChangesTheText()
    {
        using ILanguageModel rm = new Llama2cModelLoader().Load(Folder);
        var options = new GenerationOptions { MaxTokens = 48, PadTopK = 10, IncludeTrace = true };
        DecodeRequest Request(float w) => PadPrompts.CreateRawRequest(
            _story.Model, "Tom found a box under his bed.", [new Preference("The story is about a frog.", w)], options, RewardMode.RewardModel, rm);

        // w = 0 is prompting: the base model reading the preference before the prompt.
        GenerationResult prompting = PadDecoder.Generate(Request(0));
        GenerationResult steered = PadDecoder.Generate(Request(1));

        Assert.Equal(PadPrompts.Encode(_story.Model, PadPrompts.SelfContrastText("The story is about a frog.", "Tom found a box under his bed.")), Request(1).Context);
        Assert.NotEqual(prompting.Text, steered.Text);
        Assert.Contains(steered.Trace, s => s.Changed);
    }
}
