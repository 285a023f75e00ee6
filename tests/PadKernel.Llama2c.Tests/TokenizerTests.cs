using PadKernel.Alignment;
using PadKernel.Text;

namespace PadKernel.Llama2c.Tests;

public sealed class TokenizerTests
{
    private static Llama2cTokenizer Tokenizer => (Llama2cTokenizer)Stories260K.Model.Tokenizer;

    [Fact]
    public void EncodesEveryGoldenPromptAndRewardContext()
    {
        foreach (GoldenCase golden in GoldenCase.LoadAll())
        {
            Assert.Equal(golden.BaseContextIds, (int[])[1, .. Tokenizer.Encode(golden.Prompt)]);
            if (golden.RewardContextIds is not null)
            {
                Assert.NotNull(golden.Preference);
                Assert.Equal(golden.RewardContextIds, (int[])[1, .. Tokenizer.Encode(PadPrompts.SelfContrastText(golden.Preference, golden.Prompt))]);
            }
        }
    }

    [Theory]
    [InlineData("Once upon a time, there was a little girl named Lily.")]
    [InlineData("Tom said, \"Let's go!\"\n\nThe end.")]
    [InlineData("  two leading spaces, tabs\tand  runs   of spaces ")]
    [InlineData("Café, naïve, 日本語, emoji 🙂 and € signs")]
    [InlineData("<s> and </s> and <unk> and <0x41> are plain text here")]
    public void DecodingAfterBosRestoresTheText(string text)
    {
        List<int> ids = Tokenizer.Encode(text);
        Assert.Equal(text, Tokenizer.Decode(ids.ToArray(), previousTokenId: Llama2cTokenizer.BosTokenId));
    }

    [Fact]
    public void TextOutsideTheVocabularyFallsBackToByteTokens()
    {
        List<int> ids = Tokenizer.Encode("日", atStartOfText: false);
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes("日");
        Assert.Equal(utf8.Select(b => b + 3), ids);
    }

    [Fact]
    public void SpecialTokenTextNeverBecomesAControlToken()
    {
        List<int> ids = Tokenizer.Encode("<s></s><unk> <s>");
        Assert.DoesNotContain(ids, id => id <= 2);
        Assert.True(Tokenizer.TryGetSpecialTokenId("<s>", out int bos));
        Assert.Equal(1, bos);
        Assert.True(Tokenizer.TryGetSpecialTokenId("</s>", out int eos));
        Assert.Equal(2, eos);
        Assert.True(Tokenizer.TryGetSpecialTokenId("<unk>", out int unk));
        Assert.Equal(0, unk);
        Assert.False(Tokenizer.TryGetSpecialTokenId("<|im_start|>", out _));
    }

    [Fact]
    public void ControlTokensContributeNoText()
    {
        Assert.True(Tokenizer.GetTokenBytes(1, -1).IsEmpty);
        Assert.True(Tokenizer.GetTokenBytes(2, 5).IsEmpty);
        Assert.Equal("Hi", Tokenizer.Decode([1, .. Tokenizer.Encode("Hi"), 2]));
    }

    [Fact]
    public void DummyPrefixOnlyAtStartOfText()
    {
        List<int> start = Tokenizer.Encode("a time");
        List<int> middle = Tokenizer.Encode("a time", atStartOfText: false);
        Assert.Equal(" a time", Tokenizer.Decode(start.ToArray()));
        Assert.Equal("a time", Tokenizer.Decode(middle.ToArray()));
        Assert.Empty(Tokenizer.Encode(""));
    }

    [Fact]
    public void ByteTokensDecodeToRawBytes()
    {
        // "\n" is <0x0A> (id 10 + 3) in the llama2.c vocabulary.
        Assert.Equal("<0x0A>", System.Text.Encoding.UTF8.GetString(Tokenizer.GetPiece(13)));
        Assert.Equal([(byte)'\n'], Tokenizer.GetTokenBytes(13, 1).ToArray());
    }

    [Fact]
    public void OutOfRangeIdsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.GetTokenBytes(512, -1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.GetTokenBytes(-1, -1).ToArray());
    }
}
