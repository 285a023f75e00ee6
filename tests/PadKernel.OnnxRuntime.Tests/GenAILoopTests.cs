using Microsoft.Extensions.AI;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Extensions.AI;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>PadKernel's loop over GenAI (logits stage → SetLogits → GenerateNextToken) against GenAI's own loop, and native lifetime.</summary>
public sealed class GenAILoopTests
{
    [Theory]
    [InlineData(TestModels.Stories, "Once upon a time")]
    [InlineData(TestModels.Stories, "The little cat")]
    [InlineData(TestModels.LlamaFp16, "Hello world")]
    public void ZeroWeightEqualsGenAIsOwnGreedyLoopTokenForToken(string name, string prompt)
    {
        OnnxModel model = TestModels.Get(name);
        var options = new GenerationOptions { MaxTokens = 120, Temperature = 0 };
        DecodeRequest request = PadPrompts.CreateRawRequest(model, prompt, [new Preference("A dog.", 0f)], options);

        GenerationResult ours = PadDecoder.Generate(request);
        IReadOnlyList<int> native = GenAIGreedyLoop.Generate(model, request.Context, options.MaxTokens);

        // GenAI's loop reports the end-of-sequence id it stopped on; PadKernel ends before it.
        int[] expected = native.TakeWhile(id => !model.Info.EosTokenIds.Contains(id)).ToArray();
        Assert.Equal(expected, ours.TokenIds);
    }

    [Fact]
    public void Gpt2FixtureGeneratesFromIdsBelowItsVocabulary()
    {
        OnnxModel model = TestModels.Get(TestModels.Gpt2);
        int[] prompt = [464, 2068, 7586, 21831, 18045];
        var request = new DecodeRequest
        {
            Model = model,
            Context = prompt.Where(id => id < model.Info.VocabularySize).Append(12).ToArray(),
            Rewards = [new RewardContext(model, [15, 30, 99, 12], 1.5f, "reward")],
            Options = new GenerationOptions { MaxTokens = 24, Temperature = 0, IgnoreEndOfSequence = true },
        };

        GenerationResult result = PadDecoder.Generate(request);
        Assert.Equal(24, result.TokenIds.Count);
        Assert.All(result.TokenIds, id => Assert.InRange(id, 0, model.Info.VocabularySize - 1));
    }

    [Fact]
    public void TokenizerLargerThanTheModelIsAVocabularyMismatchAtLoad()
    {
        var error = Assert.Throws<VocabularyMismatchException>(() => OnnxModel.Load(TestModels.Path(TestModels.Gpt2)));
        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OnnxRuntimeOptions.ValidateTokenizerVocabulary), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PadChatClientRunsOnAGenAIModel()
    {
        using var client = new PadChatClient(TestModels.Get(TestModels.Stories));
        var options = new ChatOptions { MaxOutputTokens = 30, AdditionalProperties = new() { ["pad_preferences"] = "The story is about a dog.", ["pad_weight"] = 2.0 } };

        var streamed = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Once upon a time", options))
        {
            streamed.Append(update.Text);
        }

        ChatResponse whole = await client.GetResponseAsync("Once upon a time", options);
        Assert.False(string.IsNullOrWhiteSpace(whole.Text));
        Assert.Equal(whole.Text, streamed.ToString());
    }

    [Fact]
    public async Task CancelledGenerationsFreeEveryNativeObject()
    {
        // A private model: its own generators are the only ones this test creates, but other tests run in parallel,
        // so the count is compared after this test's requests, with a bound that 1,000 leaks would exceed by far.
        using OnnxModel model = OnnxModel.Load(TestModels.Path(TestModels.Stories));
        using var client = new PadChatClient(model);
        var options = new ChatOptions { MaxOutputTokens = 200, AdditionalProperties = new() { ["pad_preferences"] = "A dog.", ["pad_weight"] = 1.0 } };

        long before = OnnxModel.LiveNativeObjects;
        int cancelled = 0;
        for (int i = 0; i < 1000; i++)
        {
            using var cancellation = new CancellationTokenSource();
            int received = 0;
            try
            {
                await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Once upon a time", options, cancellation.Token))
                {
                    if (++received == 1 + (i % 5))
                    {
                        await cancellation.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }
        }

        Assert.True(cancelled > 900, $"only {cancelled} of 1000 requests were cancelled mid-generation");
        long after = OnnxModel.LiveNativeObjects;

        // Each leaked request would leave a generator and its logits tensor (2 objects): 1,000 leaks = 2,000.
        Assert.True(after - before < 50, $"{after - before} GenAI objects still alive after 1,000 cancelled requests");
    }

    [Fact]
    public void DisposingTheModelBeforeItsSequencesIsSafe()
    {
        // Generators hold a reference on the native model: the sequence keeps working, and the model goes with it.
        var model = OnnxModel.Load(TestModels.Path(TestModels.Stories));
        IModelSequence sequence = model.CreateSequence();
        sequence.Append([1, 403, 407]);
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.CreateSequence());
        model.DecodeBatch([sequence], [261]);
        Assert.Equal(4, sequence.Length);
        sequence.Dispose();
    }
}
