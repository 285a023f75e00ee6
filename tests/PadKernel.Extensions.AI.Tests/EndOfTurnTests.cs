using Microsoft.Extensions.AI;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Prompts;
using PadKernel.Text;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// The story model dressed as a ChatML chat model: its tokenizer reports &lt;|im_start|&gt; as BOS and &lt;|im_end|&gt; as
/// the id of ".", so the end-of-turn token (not an EOS id of the model) shows up in real generations.
/// </summary>
public sealed class EndOfTurnTests
{
    [Fact]
    public async Task GetResponse_TemplatesEndOfTurnToken_StopsGeneration()
    {
        var chat = new ChatDressedModel(StoryModel.Model);
        var client = new PadChatClient(chat);
        Assert.Same(ChatTemplate.ChatML, client.ChatTemplate);

        ChatOptions options = new() { MaxOutputTokens = 60 };
        DecodeRequest request = client.CreateDecodeRequest([new ChatMessage(ChatRole.User, "Once upon a time")], options);
        Assert.Equal([chat.DotId], request.Options.StopTokenIds);

        // The same context decoded without the end-of-turn stop runs past the first ".".
        request.Options.StopTokenIds = [];
        GenerationResult unbounded = PadDecoder.Generate(request);
        int firstDot = unbounded.TokenIds.ToList().IndexOf(chat.DotId);
        Assert.True(firstDot > 0, unbounded.Text);

        ChatResponse response = await client.GetResponseAsync("Once upon a time", options);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(firstDot, response.Usage!.OutputTokenCount);
        Assert.Equal(StoryModel.Model.Tokenizer.Decode(unbounded.TokenIds.Take(firstDot).ToArray(), request.Context[^1]), response.Text);
    }

    private sealed class ChatDressedModel(ILanguageModel inner) : ILanguageModel
    {
        public int DotId { get; } = Assert.Single(inner.Tokenizer.Encode(".", atStartOfText: false));

        public ModelInfo Info { get; } = inner.Info with { IsChatModel = true, ModelId = "story-chat" };

        public ITokenizer Tokenizer => new DressedTokenizer(inner.Tokenizer, inner.Info.BosTokenId, DotId);

        public IModelSequence CreateSequence() => inner.CreateSequence();

        public void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens) => inner.DecodeBatch(sequences, tokens);

        public void Dispose()
        {
        }
    }

    private sealed class DressedTokenizer(ITokenizer inner, int start, int end) : ITokenizer
    {
        public int VocabularySize => inner.VocabularySize;

        public void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true) => inner.Encode(text, destination, atStartOfText);

        public bool TryGetSpecialTokenId(string token, out int id)
        {
            id = token switch { "<|im_start|>" => start, "<|im_end|>" => end, _ => -1 };
            return id >= 0 || inner.TryGetSpecialTokenId(token, out id);
        }

        public ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId) => inner.GetTokenBytes(tokenId, previousTokenId);
    }
}
