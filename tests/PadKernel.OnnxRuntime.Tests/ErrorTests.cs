using System.Text.Json.Nodes;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>Bad model folders and bad requests fail with messages that name the file and the key.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("padkernel-onnx-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void MissingGenAIConfigNamesTheFile()
    {
        var loader = new OnnxModelLoader();
        Assert.False(loader.CanLoad(folder));
        Assert.False(loader.CanLoad(Path.Combine(folder, "missing")));

        var error = Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder));
        Assert.Equal(Path.Combine(folder, "genai_config.json"), error.FilePath);
        Assert.Contains("has no genai_config.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.context_length")]
    [InlineData("model.decoder.filename")]
    [InlineData("model.decoder.num_hidden_layers")]
    [InlineData("model.eos_token_id")]
    public void MissingKeyNamesTheFileAndKey(string key)
    {
        CopyStories(config =>
        {
            string[] parts = key.Split('.');
            JsonNode node = config;
            foreach (string part in parts[..^1])
            {
                node = node[part]!;
            }

            node.AsObject().Remove(parts[^1]);
        });

        var error = Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder));
        Assert.Equal(Path.Combine(folder, "genai_config.json"), error.FilePath);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inputs", "input_ids", "ids")]
    [InlineData("outputs", "logits", "scores")]
    public void NamesTheModelDoesNotHaveAreATypedError(string section, string key, string value)
    {
        CopyStories(config => config["model"]!["decoder"]![section]![key] = value);

        // GenAI reports it (when loading or on the first run); either way a typed error, never a native crash.
        var error = Assert.ThrowsAny<PadKernelException>(() =>
        {
            using OnnxModel model = OnnxModel.Load(folder);
            using IModelSequence sequence = model.CreateSequence();
            sequence.Append([1, 2, 3]);
        });
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptOnnxFileNamesTheFile()
    {
        CopyStories(_ => { });
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), [0x08, 0x07, 0xFF, 0xFF, 0x12, 0x34, 0x00, 0x01, 0x02]);

        var error = Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder));
        Assert.Equal(folder, error.FilePath);
        Assert.IsType<OnnxRuntimeException>(error.InnerException);
    }

    [Fact]
    public void MissingDecoderFileNamesTheKey()
    {
        CopyStories(config => config["model"]!["decoder"]!["filename"] = "nope.onnx");

        var error = Assert.Throws<ModelFormatException>(() => OnnxModel.Load(folder));
        // The folder validator refuses it before native code reads the configuration: the file named is the
        // configuration, the message names the key and the missing file.
        Assert.Equal(Path.Combine(folder, "genai_config.json"), error.FilePath);
        Assert.Contains("model.decoder.filename", error.Message, StringComparison.Ordinal);
        Assert.Contains("nope.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdsOutsideTheVocabularyAreRejected()
    {
        OnnxModel model = TestModels.Get(TestModels.Gpt2);
        using IModelSequence sequence = model.CreateSequence();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => sequence.Append([5, 1000]));
        Assert.Contains("Token id 1000 is outside the vocabulary", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.Append([-1]));
        Assert.Equal(0, sequence.Length);

        // The sequence is still usable after the rejected appends.
        sequence.Append([5, 6]);
        Assert.Equal(2, sequence.Length);
    }

    [Fact]
    public void ContextLengthIsEnforced()
    {
        OnnxModel model = TestModels.Get(TestModels.Stories);
        using IModelSequence sequence = model.CreateSequence();
        Assert.Throws<ContextLengthExceededException>(() => sequence.Append(new int[model.Info.ContextLength + 1]));
    }

    [Fact]
    public void MissingCudaProviderIsAClearError()
    {
        var error = Assert.Throws<ExecutionProviderUnavailableException>(() => OnnxModel.Load(TestModels.Path(TestModels.Stories), new OnnxRuntimeOptions { ExecutionProvider = "cuda" }));
        Assert.Contains("Microsoft.ML.OnnxRuntimeGenAI.Cuda", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProviderIsRejected()
    {
        var error = Assert.Throws<ExecutionProviderUnavailableException>(() => OnnxModel.Load(TestModels.Path(TestModels.Stories), new OnnxRuntimeOptions { ExecutionProvider = "tpu" }));
        Assert.Equal("tpu", error.Provider);
    }

    private void CopyStories(Action<JsonNode> edit)
    {
        TestModels.Copy(TestModels.Stories, folder);
        TestModels.EditJson(Path.Combine(folder, "genai_config.json"), edit);
    }
}
