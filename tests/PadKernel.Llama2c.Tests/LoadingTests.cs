using System.Buffers.Binary;
using PadKernel.Models;

namespace PadKernel.Llama2c.Tests;

/// <summary>Loader recognition and every malformed-input path, on copies of the real files altered in a temp folder.</summary>
public sealed class LoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("padkernel-llama2c-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void LoaderRecognizesTheModelFolderAndCheckpoint()
    {
        var loader = new Llama2cModelLoader();
        string folder = Path.GetDirectoryName(TestData.StoriesCheckpoint)!;
        Assert.Equal("llama2c", loader.Runtime);
        Assert.True(loader.CanLoad(folder));
        Assert.True(loader.CanLoad(TestData.StoriesCheckpoint));
        Assert.False(loader.CanLoad(TestData.StoriesTokenizer));
        Assert.False(loader.CanLoad(Path.Combine(_folder, "missing.bin")));
        Assert.False(loader.CanLoad(_folder));
        Assert.False(loader.CanLoad(TestData.Model("stories260K-onnx")));

        using ILanguageModel model = loader.Load(folder);
        Assert.Equal("stories260K", model.Info.ModelId);
        Assert.Equal("llama2c", model.Info.Runtime);
    }

    [Fact]
    public void LoaderNeedsATokenizerBesideTheCheckpoint()
    {
        string checkpoint = Copy(TestData.StoriesCheckpoint, "model.bin");
        var loader = new Llama2cModelLoader();
        Assert.False(loader.CanLoad(checkpoint));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => loader.Load(checkpoint));
        Assert.Contains("tokenizer", e.Message, StringComparison.Ordinal);

        Copy(TestData.StoriesTokenizer, "tok512.bin");
        Assert.True(loader.CanLoad(checkpoint));
        Assert.True(loader.CanLoad(_folder));
        using ILanguageModel model = loader.Load(_folder);
        Assert.Equal("model", model.Info.ModelId);
    }

    [Fact]
    public void MissingFilesThrowModelFormatException()
    {
        string missing = Path.Combine(_folder, "nothing.bin");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(missing, TestData.StoriesTokenizer));
        Assert.Equal(missing, e.FilePath);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(TestData.StoriesCheckpoint, missing));
        Assert.Equal(missing, e.FilePath);
    }

    [Fact]
    public void TruncatedCheckpointThrows()
    {
        byte[] data = File.ReadAllBytes(TestData.StoriesCheckpoint);
        string path = Write("truncated.bin", data.AsSpan(0, data.Length - 100));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(path, TestData.StoriesTokenizer));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        string tiny = Write("tiny.bin", data.AsSpan(0, 10));
        e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(tiny, TestData.StoriesTokenizer));
        Assert.Contains("too short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderThatDoesNotMatchTheFileSizeThrows()
    {
        byte[] data = File.ReadAllBytes(TestData.StoriesCheckpoint);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(6 * 4), 256); // seq_len 512 -> 256
        string path = Write("seq.bin", data);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(path, TestData.StoriesTokenizer));
        Assert.Contains("seq_len=256", e.Message, StringComparison.Ordinal);

        // A negative vocabulary size promises an extra classifier the file does not hold.
        data = File.ReadAllBytes(TestData.StoriesCheckpoint);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(5 * 4), -512);
        path = Write("unshared.bin", data);
        e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(path, TestData.StoriesTokenizer));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, "dim")]
    [InlineData(0, -64, "dim")]
    [InlineData(2, 0, "n_layers")]
    [InlineData(3, 0, "n_heads")]
    [InlineData(4, 3, "n_kv_heads")]
    [InlineData(5, 0, "vocab_size")]
    [InlineData(6, -1, "seq_len")]
    [InlineData(1, int.MaxValue, "hidden_dim")]
    public void BadHeaderValuesThrow(int field, int value, string name)
    {
        byte[] data = File.ReadAllBytes(TestData.StoriesCheckpoint);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(field * 4), value);
        string path = Write("bad.bin", data);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(path, TestData.StoriesTokenizer));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsharedClassifierIsReadFromTheEnd()
    {
        // Append the embedding as an explicit classifier: the logits must not change.
        byte[] data = File.ReadAllBytes(TestData.StoriesCheckpoint);
        byte[] unshared = [.. data, .. data.AsSpan(28, 512 * 64 * 4)];
        BinaryPrimitives.WriteInt32LittleEndian(unshared.AsSpan(5 * 4), -512);
        string path = Write("unshared.bin", unshared);
        using Llama2cModel model = Llama2cModel.Load(path, TestData.StoriesTokenizer);
        Assert.False(model.Config.SharedClassifier);
        using IModelSequence a = model.CreateSequence();
        using IModelSequence b = Stories260K.Model.CreateSequence();
        a.Append([1, 403, 407]);
        b.Append([1, 403, 407]);
        Assert.Equal(b.Logits.ToArray(), a.Logits.ToArray());
    }

    [Fact]
    public void CorruptTokenizerThrows()
    {
        byte[] data = File.ReadAllBytes(TestData.StoriesTokenizer);
        byte[] corrupt = (byte[])data.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(corrupt.AsSpan(4 + 4), 1_000_000); // first token's length
        string path = Write("tok-corrupt.bin", corrupt);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(TestData.StoriesCheckpoint, path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);

        path = Write("tok-truncated.bin", data.AsSpan(0, data.Length - 3));
        e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(TestData.StoriesCheckpoint, path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        path = Write("tok-empty.bin", []);
        Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(TestData.StoriesCheckpoint, path));
    }

    [Fact]
    public void TokenizerOfAnotherVocabularySizeThrows()
    {
        // Cut the tokenizer after its first 300 tokens: a valid file, but for another model.
        byte[] data = File.ReadAllBytes(TestData.StoriesTokenizer);
        int offset = 4;
        for (int i = 0; i < 300; i++)
        {
            offset += 8 + BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 4));
        }

        string path = Write("tok300.bin", data.AsSpan(0, offset));
        Assert.Equal(300, Llama2cTokenizer.Load(path).VocabularySize);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => Llama2cModel.Load(TestData.StoriesCheckpoint, path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("300", e.Message, StringComparison.Ordinal);
        Assert.Contains("512", e.Message, StringComparison.Ordinal);
    }

    private string Copy(string source, string name)
    {
        string path = Path.Combine(_folder, name);
        File.Copy(source, path);
        return path;
    }

    private string Write(string name, ReadOnlySpan<byte> data)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }
}
