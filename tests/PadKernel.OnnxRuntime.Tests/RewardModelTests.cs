using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Llama2c;
using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>
/// Reward-model mode across runtimes and tokenizers: the project's PersRM as an ONNX Runtime GenAI folder writes what its
/// llama2.c checkpoint writes, and a reward model with another tokenizer (the random GPT-2 fixture) steers stories260K
/// through a <see cref="TokenMapping"/>. Models load through the public <see cref="IModelLoader"/> seam.
/// </summary>
public sealed class RewardModelTests
{
    private static readonly IModelLoader Onnx = new Models.OnnxModelLoader();
    private static readonly IModelLoader Llama2c = new Llama2cModelLoader();

    [Fact]
    public void TheCommittedPersRMInOnnxFormatWritesWhatItsLlama2cCheckpointWrites()
    {
        string models = Path.Combine(TestData.RepositoryRoot, "models");
        using ILanguageModel story = Llama2c.Load(TestData.StoriesFolder);
        using ILanguageModel rmManaged = Llama2c.Load(Path.Combine(models, "stories260K-persrm"));
        using ILanguageModel rmOnnx = Onnx.Load(Path.Combine(models, "stories260K-persrm-onnx"));
        var options = new GenerationOptions { MaxTokens = 48, PadTopK = 10 };
        Preference[] frog = [new("The story is about a frog.", 2f)];

        GenerationResult managed = PadDecoder.Generate(PadPrompts.CreateRawRequest(story, "Tom found a box under his bed.", frog, options, RewardMode.RewardModel, rmManaged));
        GenerationResult onnx = PadDecoder.Generate(PadPrompts.CreateRawRequest(story, "Tom found a box under his bed.", frog, options, RewardMode.RewardModel, rmOnnx));

        Assert.Equal(managed.TokenIds, onnx.TokenIds);
        Assert.Equal(48, onnx.TokenIds.Count);
    }

    [Fact]
    public void ARewardModelWithAnotherTokenizerIsMappedThroughTokenText()
    {
        using ILanguageModel story = Llama2c.Load(TestData.StoriesFolder);
        using ILanguageModel gpt2 = new Models.OnnxModelLoader(TestModels.Options(TestModels.Gpt2)).Load(TestModels.Path(TestModels.Gpt2));
        Assert.True(gpt2.Tokenizer.VocabularySize > gpt2.Info.VocabularySize); // a 50k tokenizer over 1,000 model ids

        TokenMapping mapping = TokenMapping.For(story, gpt2);

        // " the" is one piece in both vocabularies; GPT-2's byte-level BPE keeps the leading space in the token.
        var the = new List<int>();
        story.Tokenizer.Encode(" the", the, atStartOfText: false);
        var gpt2The = new List<int>();
        gpt2.Tokenizer.Encode(" the", gpt2The, atStartOfText: false);
        Assert.Equal(gpt2The[0], mapping.MapCandidate(Assert.Single(the)));
        Assert.InRange(mapping.MappedCount, 50, 511);
        for (int id = 0; id < story.Info.VocabularySize; id++)
        {
            Assert.InRange(mapping.MapCandidate(id), -1, gpt2.Info.VocabularySize - 1);
            foreach (int rewardId in mapping.Encoding(id))
            {
                Assert.InRange(rewardId, 0, gpt2.Info.VocabularySize - 1);
            }
        }

        Assert.Same(mapping, TokenMapping.For(story, gpt2));

        // PAD with the mapped reward model: unmapped candidates get exactly 0, mapped ones the rule's reward, and the text changes.
        var prompt = PadPrompts.Encode(story, "Once upon a time");
        var rewardContext = new List<int>();
        gpt2.Tokenizer.Encode("Once upon a time", rewardContext);
        rewardContext.RemoveAll(id => id >= gpt2.Info.VocabularySize);
        var options = new GenerationOptions { MaxTokens = 30, PadTopK = 10, IncludeTrace = true };
        GenerationResult plain = PadDecoder.Generate(new DecodeRequest { Model = story, Context = prompt, Options = options });
        GenerationResult steered = PadDecoder.Generate(new DecodeRequest
        {
            Model = story,
            Context = prompt,
            Rewards = [new RewardContext(gpt2, rewardContext, 3f, "gpt2")],
            Options = options,
        });

        Assert.Equal(30, steered.TokenIds.Count);
        Assert.NotEqual(plain.TokenIds, steered.TokenIds);
        PadCandidate[] candidates = steered.Trace.SelectMany(s => s.Candidates).ToArray();
        Assert.All(candidates.Where(c => mapping.MapCandidate(c.TokenId) < 0), c => Assert.Equal(0f, c.Rewards[0]));
        Assert.Contains(candidates, c => mapping.MapCandidate(c.TokenId) >= 0 && c.Rewards[0] != 0f);
    }
}
