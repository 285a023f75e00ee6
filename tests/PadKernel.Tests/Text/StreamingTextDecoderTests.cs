using System.Text;
using PadKernel.Tests.TestDoubles;
using PadKernel.Text;

namespace PadKernel.Tests.Text;

public sealed class StreamingTextDecoderTests
{
    [Fact]
    public void NeverSplitsAUtf8CharacterAcrossChunks()
    {
        var tokenizer = new ByteTokenizer();
        const string text = "héllo 世界 🐶!";
        var decoder = new StreamingTextDecoder(tokenizer);
        var chunks = new List<string>();
        foreach (int id in tokenizer.Encode(text))
        {
            chunks.Add(decoder.Append(id).ToString());
        }

        chunks.Add(decoder.Flush().ToString());

        Assert.Equal(text, string.Concat(chunks));
        Assert.DoesNotContain(chunks, c => c.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Contains("🐶", chunks);
    }

    [Fact]
    public void FlushTurnsAnIncompleteCharacterIntoAReplacementCharacter()
    {
        var tokenizer = new ByteTokenizer();
        var decoder = new StreamingTextDecoder(tokenizer);
        byte[] dog = Encoding.UTF8.GetBytes("🐶");

        Assert.Equal(string.Empty, decoder.Append(dog[0] + 3).ToString());
        Assert.Equal("\uFFFD", decoder.Flush().ToString());
    }
}
