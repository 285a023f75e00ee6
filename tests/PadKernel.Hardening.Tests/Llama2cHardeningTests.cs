using System.Buffers.Binary;
using System.Text;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Hardening.Tests;

/// <summary>The llama2.c cases of issue 11, each as a regression test, on altered copies of stories260K.</summary>
public sealed class Llama2cHardeningTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void VocabularyWithoutTheByteFallbackTokensIsRejectedAtLoad()
    {
        // Issue 11: a tokenizer under 259 tokens loaded, then text outside it fell back to ids past the vocabulary
        // (IndexOutOfRangeException in Llama2cTokenizer.LookupPair).
        string path = _temp.Write("tok200.bin", TokenizerPrefix(200));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cTokenizer.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("259", e.Message, StringComparison.Ordinal);
        Assert.Contains("byte-fallback", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ByteTokenSlotHoldingAnotherPieceIsRejected()
    {
        byte[] data = File.ReadAllBytes(Models.Tokenizer);
        int offset = TokenOffset(data, 3 + 0x41); // <0x41>
        Assert.Equal("<0x41>", Encoding.ASCII.GetString(data, offset + 8, 6));
        data[offset + 8 + 4] = (byte)'X'; // "<0x4X>": not a byte token
        string path = _temp.Write("tok-bytes.bin", data);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cTokenizer.Load(path));
        Assert.Contains("Token 68", e.Message, StringComparison.Ordinal);
        Assert.Contains("<0x41>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderAskingForAHugeKvCacheIsRejectedAtLoad()
    {
        // Issue 11: a header whose KV cache is 2^33 floats passed validation, then Llama2cSequence threw OverflowException.
        string path = WriteHugeKvCacheCheckpoint(_temp.File("kv.bin"));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(path, Models.Tokenizer));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("seq_len", e.Message, StringComparison.Ordinal);
        Assert.Contains("KV cache of 8,589,934,592 floats", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A checkpoint whose file size matches its header, but whose KV cache is 2^33 floats per sequence: dim 2, one
    /// head, 2^15 layers, seq_len 2^17 (the weights are only 1.3 M floats, zero).
    /// </summary>
    internal static string WriteHugeKvCacheCheckpoint(string path)
    {
        const int dim = 2, hidden = 2, layers = 1 << 15, heads = 1, kvHeads = 1, vocab = 512, seqLen = 1 << 17;
        var config = new Llama2cConfig { Dim = dim, HiddenDim = hidden, Layers = layers, Heads = heads, KvHeads = kvHeads, VocabularySize = vocab, SequenceLength = seqLen, SharedClassifier = true };
        using var stream = File.Create(path);
        stream.Write(Header(dim, hidden, layers, heads, kvHeads, vocab, seqLen));
        stream.SetLength(config.FileBytes);
        return path;
    }

    [Theory]
    [InlineData(1 << 24, 1 << 24, 1 << 24)]
    [InlineData(1 << 20, 1 << 20, 4096)]
    public void HeaderWhoseProductsOverflowIsRejected(int dim, int hidden, int layers)
    {
        // Each field is within its own limit; their product wraps a long unless checked.
        string path = _temp.Write("overflow.bin", [.. Header(dim, hidden, layers, 2, 2, 512, 512), .. new byte[64]]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(path, Models.Tokenizer));
        Assert.Contains("more weights than a checkpoint file can hold", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessDeviceAndFifoAreRefusedWithoutReading()
    {
        string zero = _temp.File("zero.bin");
        File.CreateSymbolicLink(zero, "/dev/zero");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(zero, Models.Tokenizer));
        Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);

        // Opening a FIFO for reading blocks until a writer comes: the loader must refuse it before opening it.
        string fifo = _temp.Fifo("tok512.bin");
        Bounded.Outcome load = await Bounded.RunAsync(() => Llama2cTokenizer.Load(fifo), TimeSpan.FromSeconds(30));
        Assert.True(load.Finished, "Loading a FIFO as a tokenizer hung.");
        Assert.IsType<ModelFormatException>(load.Error);
    }

    [Fact]
    public void LongPromptsEncodeExactlyAsRunCsGreedyScan()
    {
        // An independent oracle: run.c's merge loop, written out naively (a scan for the best pair per merge).
        var tokenizer = Llama2cTokenizer.Load(Models.Tokenizer);
        var random = new Random(11);
        string[] words = ["Once", " upon", " a", " time", ",", " there", " was", " little", " girl", "\n", "  ", "é", "日本", "🙂", "\t", "Lily", "'s", "!", "the", "aaaa", " ", "<s>"];
        for (int round = 0; round < 60; round++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, round < 50 ? 80 : 800);
            for (int i = 0; i < length; i++)
            {
                text.Append(random.Next(6) == 0 ? (char)random.Next(1, 0x2000) : words[random.Next(words.Length)]);
            }

            bool atStart = random.Next(2) == 0;
            Assert.Equal(ReferenceEncode(tokenizer, text.ToString(), atStart), tokenizer.Encode(text.ToString(), atStart));
        }
    }

    [Fact]
    public void EncodingStopsWhenCancelled()
    {
        var tokenizer = Llama2cTokenizer.Load(Models.Tokenizer);
        string prompt = string.Concat(Enumerable.Repeat("Once upon a time ", 600_000)); // 10 MB
        var ids = new List<int>();
        Assert.Throws<OperationCanceledException>(() => tokenizer.EncodeCancellable(prompt, ids, true, new CancellationToken(canceled: true)));

        using var source = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => tokenizer.EncodeCancellable(prompt, ids, true, source.Token));
        Assert.Empty(ids);

        // Through the interface too, as a server holding only an ITokenizer calls it.
        ITokenizer any = tokenizer;
        Assert.ThrowsAny<OperationCanceledException>(() => any.EncodeCancellable(prompt, ids, true, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void MinimumTokenCountBoundsTheEncodingWithoutRunningIt()
    {
        var tokenizer = Llama2cTokenizer.Load(Models.Tokenizer);
        Assert.InRange(tokenizer.MaxBytesPerToken, 2, tokenizer.MaxTokenLength);
        foreach (string text in (string[])["", "Once upon a time", "日本語 🙂", string.Concat(Enumerable.Repeat(" the", 500)), "\uD800 lone surrogate"])
        {
            Assert.InRange(tokenizer.MinimumTokenCount(text), 0, tokenizer.Encode(text).Count);
        }

        // The 1 MB prompt of issue 11 is known to exceed the 512-token context from its length alone.
        string huge = string.Concat(Enumerable.Repeat("Once upon a time ", 60_000));
        Assert.True(tokenizer.MinimumTokenCount(huge) > 512);
    }

    private static List<int> ReferenceEncode(Llama2cTokenizer tokenizer, string text, bool atStart)
    {
        var byPiece = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 3 + 256; id < tokenizer.VocabularySize; id++)
        {
            byPiece.TryAdd(Encoding.Latin1.GetString(tokenizer.GetPiece(id)), id);
        }

        var tokens = new List<int>();
        if (text.Length == 0)
        {
            return tokens;
        }

        if (atStart && byPiece.TryGetValue(" ", out int space))
        {
            tokens.Add(space);
        }

        foreach (System.Text.Rune rune in text.EnumerateRunes())
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(rune.ToString());
            if (byPiece.TryGetValue(Encoding.Latin1.GetString(utf8), out int id))
            {
                tokens.Add(id);
            }
            else
            {
                tokens.AddRange(utf8.Select(b => b + 3));
            }
        }

        var pairs = new Dictionary<(int, int), int>();
        while (true)
        {
            float best = -1e10f;
            int bestIndex = -1, bestId = -1;
            for (int i = 0; i + 1 < tokens.Count; i++)
            {
                (int, int) pair = (tokens[i], tokens[i + 1]);
                if (!pairs.TryGetValue(pair, out int id))
                {
                    string merged = Encoding.Latin1.GetString([.. tokenizer.GetPiece(pair.Item1), .. tokenizer.GetPiece(pair.Item2)]);
                    pairs[pair] = id = byPiece.GetValueOrDefault(merged, -1);
                }

                if (id >= 0 && tokenizer.GetScore(id) > best)
                {
                    (best, bestIndex, bestId) = (tokenizer.GetScore(id), i, id);
                }
            }

            if (bestIndex < 0)
            {
                return tokens;
            }

            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }
    }

    internal static byte[] Header(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen)
    {
        var header = new byte[Llama2cConfig.HeaderBytes];
        int[] values = [dim, hidden, layers, heads, kvHeads, vocab, seqLen];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(i * 4), values[i]);
        }

        return header;
    }

    /// <summary>The byte offset of token <paramref name="id"/>'s record (score, length, bytes) in a tokenizer file.</summary>
    internal static int TokenOffset(byte[] data, int id)
    {
        int offset = 4;
        for (int i = 0; i < id; i++)
        {
            offset += 8 + BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 4));
        }

        return offset;
    }

    private static byte[] TokenizerPrefix(int tokens)
    {
        byte[] data = File.ReadAllBytes(Models.Tokenizer);
        return data[..TokenOffset(data, tokens)];
    }
}
