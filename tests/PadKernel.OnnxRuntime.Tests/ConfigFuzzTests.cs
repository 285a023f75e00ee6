using System.Text;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>Corrupt genai_config.json files end in a ModelFormatException naming the file (and the key where there is one), never a native crash.</summary>
public sealed class ConfigFuzzTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("padkernel-fuzz-").FullName;
    private readonly byte[] original;

    public ConfigFuzzTests()
    {
        TestModels.Copy(TestModels.Stories, folder);
        original = File.ReadAllBytes(ConfigPath);
    }

    private string ConfigPath => Path.Combine(folder, GenAIConfig.FileName);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void EveryTruncationIsATypedError()
    {
        for (int length = 0; length < original.Length - 1; length += 7)
        {
            File.WriteAllBytes(ConfigPath, original[..length]);
            var error = Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder).Dispose());
            Assert.Equal(ConfigPath, error.FilePath);
        }
    }

    [Theory]
    [InlineData("\"context_length\": 512", "\"context_length\": \"512\"", "model.context_length")]
    [InlineData("\"vocab_size\": 512", "\"vocab_size\": 99999999999999999999999", "model.vocab_size")]
    [InlineData("\"vocab_size\": 512", "\"vocab_size\": 1e400", "model.vocab_size")]
    [InlineData("\"vocab_size\": 512", "\"vocab_size\": -5", "model.vocab_size")]
    [InlineData("\"eos_token_id\": 2", "\"eos_token_id\": [\"2\"]", "model.eos_token_id")]
    [InlineData("\"head_size\": 8", "\"head_size\": true", "model.decoder.head_size")]
    [InlineData("\"filename\": \"model.onnx\"", "\"filename\": 17", "model.decoder.filename")]
    [InlineData("\"num_hidden_layers\": 5", "\"num_hidden_layers\": 4294967296", "model.decoder.num_hidden_layers")]
    [InlineData("\"do_sample\": false", "\"do_sample\": \"no\"", "search.do_sample")]
    public void WrongTypesAndHugeNumbersNameTheKey(string from, string to, string key)
    {
        string text = Encoding.UTF8.GetString(original);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(ConfigPath, text.Replace(from, to, StringComparison.Ordinal));

        var error = Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder).Dispose());
        Assert.Equal(ConfigPath, error.FilePath);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(100_000)]
    public void DeepJsonIsATypedError(int depth)
    {
        File.WriteAllText(ConfigPath, "{\"model\":" + new string('[', depth) + new string(']', depth) + "}");
        var error = Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder).Dispose());
        Assert.Equal(ConfigPath, error.FilePath);
    }

    [Fact]
    public void RandomBytesAreATypedError()
    {
        var random = new Random(9);
        for (int i = 0; i < 50; i++)
        {
            byte[] bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            File.WriteAllBytes(ConfigPath, bytes);
            Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder).Dispose());
        }
    }
}
