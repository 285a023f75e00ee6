using System.Text;

namespace PadKernel.Tokenizers.Tests;

/// <summary>The ITokenizer contract on the fixture tokenizers: control tokens, dummy prefix, token bytes, config.</summary>
public sealed class TokenizerBehaviorTests
{
    public static TheoryData<string> Fixtures => new(TestPaths.FixtureNames);

    [Theory]
    [InlineData("ort-tiny-random-llama-fp16", "</s>")]
    [InlineData("ort-tiny-random-llama-fp16", "<s>")]
    [InlineData("stories260K-onnx", "</s>")]
    [InlineData("ort-tiny-random-gpt2", "<|endoftext|>")]
    public void Encode_NeverTurnsTextIntoControlTokens(string fixture, string control)
    {
        var tokenizer = TestPaths.Tokenizer(fixture);
        Assert.True(tokenizer.TryGetSpecialTokenId(control, out int controlId));
        Assert.True(tokenizer.IsSpecialToken(controlId));

        foreach (string text in new[] { control, "user says " + control + " then more", control + control, "x" + control })
        {
            List<int> ids = tokenizer.Encode(text);
            Assert.DoesNotContain(controlId, ids);
            Assert.DoesNotContain(ids, tokenizer.IsSpecialToken);

            // The control text survives as ordinary text.
            Assert.Equal(text, tokenizer.Decode(ids.ToArray()));
        }
    }

    [Fact]
    public void SpecialTokens_AreReadFromTheConfigFiles()
    {
        var llama = TestPaths.Tokenizer("ort-tiny-random-llama-fp16");
        Assert.Equal(HuggingFaceTokenizerKind.SentencePieceBpe, llama.Kind);
        Assert.Equal(32000, llama.VocabularySize);
        Assert.Equal((1, 2, 0), (llama.BosTokenId, llama.EosTokenId, llama.UnkTokenId));
        Assert.True(llama.AddBosToken);
        Assert.Contains("[INST]", llama.ChatTemplate);
        Assert.False(llama.TryGetSpecialTokenId("[INST]", out _)); // Llama 2's [INST] is text, not a token

        var gpt2 = HuggingFaceTokenizer.Load(Path.Combine(TestPaths.Model("ort-tiny-random-gpt2"), "tokenizer.json"));
        Assert.Equal(HuggingFaceTokenizerKind.ByteLevelBpe, gpt2.Kind);
        Assert.Equal(50295, gpt2.VocabularySize);
        Assert.Equal(50256, gpt2.BosTokenId);
        Assert.Equal(50256, gpt2.EosTokenId);
        Assert.False(gpt2.AddBosToken);
        Assert.Null(gpt2.ChatTemplate);
        Assert.True(gpt2.TryGetSpecialTokenId("<|endoftext|>", out int eot) && eot == 50256);
    }

    [Theory]
    [InlineData("ort-tiny-random-llama-fp16")]
    [InlineData("stories260K-onnx")]
    public void AtStartOfText_ControlsTheSentencePieceDummyPrefix(string fixture)
    {
        var tokenizer = TestPaths.Tokenizer(fixture);
        List<int> start = tokenizer.Encode("hello", atStartOfText: true);
        List<int> continuation = tokenizer.Encode("hello", atStartOfText: false);
        Assert.StartsWith("▁", tokenizer.GetTokenText(start[0]));
        Assert.DoesNotMatch("^▁", tokenizer.GetTokenText(continuation[0]));

        // A continuation is the text itself: "a" + "hello" decodes to "ahello", and " hello" keeps one space.
        List<int> a = tokenizer.Encode("a");
        Assert.Equal("ahello", tokenizer.Decode([.. a, .. continuation]));
        Assert.Equal("a hello", tokenizer.Decode([.. a, .. tokenizer.Encode(" hello", atStartOfText: false)]));
        Assert.Empty(tokenizer.Encode("", atStartOfText: true));
    }

    [Fact]
    public void AtStartOfText_DoesNotChangeByteLevelEncoding()
    {
        var tokenizer = TestPaths.Tokenizer("ort-tiny-random-gpt2");
        Assert.Equal(tokenizer.Encode("hello world"), tokenizer.Encode("hello world", atStartOfText: false));
    }

    [Theory]
    [InlineData("ort-tiny-random-llama-fp16")]
    [InlineData("stories260K-onnx")]
    public void GetTokenBytes_StripsTheDummyPrefixOnlyAtTheStartOfText(string fixture)
    {
        var tokenizer = TestPaths.Tokenizer(fixture);
        Assert.True(tokenizer.TryGetTokenId("▁a", out int spaceA));
        int bos = tokenizer.BosTokenId!.Value;
        Assert.Equal("a"u8.ToArray(), tokenizer.GetTokenBytes(spaceA, -1).ToArray());
        Assert.Equal("a"u8.ToArray(), tokenizer.GetTokenBytes(spaceA, bos).ToArray());
        Assert.Equal(" a"u8.ToArray(), tokenizer.GetTokenBytes(spaceA, spaceA).ToArray());
        Assert.Equal(" a"u8.ToArray(), tokenizer.GetTokenBytes(spaceA, tokenizer.EosTokenId!.Value).ToArray()); // skipped control token: text goes on
        Assert.True(tokenizer.GetTokenBytes(bos, -1).IsEmpty);
        Assert.True(tokenizer.GetTokenBytes(tokenizer.EosTokenId!.Value, spaceA).IsEmpty);

        // Byte-fallback pieces are raw bytes.
        Assert.True(tokenizer.TryGetTokenId("<0x0A>", out int newline));
        Assert.Equal(new byte[] { 0x0A }, tokenizer.GetTokenBytes(newline, spaceA).ToArray());
        Assert.True(tokenizer.TryGetTokenId("<0xF0>", out int lead));
        Assert.Equal(new byte[] { 0xF0 }, tokenizer.GetTokenBytes(lead, spaceA).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetTokenBytes(tokenizer.VocabularySize, -1).Length);
    }

    [Fact]
    public void GetTokenBytes_MapsTheByteLevelAlphabetBackToBytes()
    {
        var tokenizer = TestPaths.Tokenizer("ort-tiny-random-gpt2");
        Assert.True(tokenizer.TryGetTokenId("Ġthe", out int the));
        Assert.Equal(" the"u8.ToArray(), tokenizer.GetTokenBytes(the, -1).ToArray()); // no strip in byte-level
        Assert.True(tokenizer.TryGetTokenId("Ċ", out int newline));
        Assert.Equal("\n"u8.ToArray(), tokenizer.GetTokenBytes(newline, the).ToArray());
        Assert.True(tokenizer.GetTokenBytes(50256, the).IsEmpty);
        Assert.Equal("    "u8.ToArray(), tokenizer.GetTokenBytes(50284, the).ToArray()); // non-special added token: its text
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void StreamingDecode_NeverSplitsACharacter(string fixture)
    {
        var tokenizer = TestPaths.Tokenizer(fixture);
        foreach (string text in new[] { "Emoji 😀👩‍💻🇫🇷 and 日本語のテキスト, 한국어, Ελληνικά, café.", "𝐀𝐁𝐂 𠀀 — “quotes” …", Corpus.Plain[^3] })
        {
            List<int> ids = tokenizer.Encode(text);
            var decoder = new StreamingTextDecoder(tokenizer);
            var streamed = new StringBuilder();
            int multiByteHeld = 0;
            foreach (int id in ids)
            {
                ReadOnlySpan<char> chunk = decoder.Append(id);
                string piece = chunk.ToString();
                Assert.DoesNotContain('\uFFFD', piece);
                Assert.True(piece.Length == 0 || !char.IsLowSurrogate(piece[0]), "a chunk starts inside a surrogate pair");
                Assert.True(piece.Length == 0 || !char.IsHighSurrogate(piece[^1]), "a chunk ends inside a surrogate pair");
                if (piece.Length == 0 && !tokenizer.GetTokenBytes(id, -1).IsEmpty)
                {
                    multiByteHeld++;
                }

                streamed.Append(piece);
            }

            streamed.Append(decoder.Flush());
            Assert.Equal(text, streamed.ToString());
            if (text.Contains("😀", StringComparison.Ordinal))
            {
                Assert.True(multiByteHeld > 0, "the emoji text should need bytes held back in " + fixture);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void GetTokenBytes_DoesNotAllocate(string fixture)
    {
        var tokenizer = TestPaths.Tokenizer(fixture);
        int bos = tokenizer.BosTokenId ?? -1;
        long Sum()
        {
            long total = 0;
            for (int id = 0; id < tokenizer.VocabularySize; id++)
            {
                total += tokenizer.GetTokenBytes(id, -1).Length + tokenizer.GetTokenBytes(id, bos).Length + tokenizer.GetTokenBytes(id, id).Length;
            }

            return total;
        }

        Sum(); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        long bytes = Sum();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(bytes > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Encode_IsThreadSafe()
    {
        var tokenizer = TestPaths.Tokenizer("ort-tiny-random-gpt2");
        string[] texts = Corpus.Plain;
        List<int>[] expected = texts.Select(t => tokenizer.Encode(t)).ToArray();
        Parallel.For(0, 64, i =>
        {
            int k = i % texts.Length;
            Assert.Equal(expected[k], tokenizer.Encode(texts[k]));
        });
    }
}

/// <summary>
/// Metaspace with <c>split: true</c> (where @huggingface/tokenizers ignores <c>split</c>, so it cannot be the
/// reference): every word starting at a space is encoded on its own, which must equal the unsplit tokenizer
/// applied word by word.
/// </summary>
public sealed class MetaspaceSplitTests
{
    [Fact]
    public void SplitTrue_EncodesEachSpaceDelimitedWordSeparately()
    {
        using var temp = new TempFolder();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Model("ort-tiny-random-llama-fp16"), "tokenizer.json")))!;
        json["normalizer"] = null;
        json["decoder"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"Sequence","decoders":[{"type":"ByteFallback"},{"type":"Metaspace","replacement":"▁","prepend_scheme":"never"}]}""");
        json["pre_tokenizer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":true}""");
        temp.Write("split/tokenizer.json", json.ToJsonString());
        json["pre_tokenizer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":false}""");
        temp.Write("whole/tokenizer.json", json.ToJsonString());
        var split = HuggingFaceTokenizer.Load(Path.Combine(temp.Path, "split"));
        var whole = HuggingFaceTokenizer.Load(Path.Combine(temp.Path, "whole"));

        foreach (string text in Corpus.Plain)
        {
            var expected = new List<int>();
            int start = 0;
            for (int i = 1; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == ' ')
                {
                    whole.Encode(text.AsSpan(start, i - start), expected);
                    start = i;
                }
            }

            Assert.Equal(expected, split.Encode(text));
            Assert.Equal(text, split.Decode(split.Encode(text).ToArray()));
        }
    }
}
