using System.Text.Json.Nodes;
using PadKernel.Models;

namespace PadKernel.Tokenizers.Tests;

/// <summary>Missing, corrupt and unsupported tokenizer files fail with a ModelFormatException naming file and cause.</summary>
public sealed class LoadErrorTests
{
    [Fact]
    public void MissingFile_Throws()
    {
        using var temp = new TempFolder();
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(temp.Path));
        Assert.Equal(Path.Combine(temp.Path, "tokenizer.json"), ex.FilePath);
        Assert.Contains("not found", ex.Message);
    }

    [Theory]
    [InlineData("{ \"model\": { \"type\": \"BPE\", \"vocab\": {")]
    [InlineData("")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{ \"version\": \"1.0\" }")]
    public void CorruptFile_Throws(string content)
    {
        using var temp = new TempFolder();
        string file = temp.Write("tokenizer.json", content);
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(file));
        Assert.Equal(file, ex.FilePath);
        Assert.Contains(file, ex.Message);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 7)]
    [InlineData(50_000_000)]
    public void HostileVocabularyId_IsRefusedWithoutAllocating(int id)
    {
        using var temp = new TempFolder();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Model("stories260K-onnx"), "tokenizer.json")))!;
        json["model"]!["vocab"]!["▁the"] = id;
        string file = temp.Write("tokenizer.json", json.ToJsonString());
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(file));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "the refusal must not allocate tables sized by the hostile id");
        Assert.Equal(file, ex.FilePath);
        Assert.Contains("model.vocab", ex.Message, StringComparison.Ordinal);
        Assert.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostileSplitPattern_EndsInATypedErrorNotAHang()
    {
        using var temp = new TempFolder();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Model("stories260K-onnx"), "tokenizer.json")))!;
        json["pre_tokenizer"] = JsonNode.Parse("""{"type":"Split","pattern":{"Regex":"(a+)+$"},"behavior":"Isolated","invert":false}""");
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.Load(temp.Write("tokenizer.json", json.ToJsonString()));

        // Exponential backtracking on this input: without a match timeout this would not return in our lifetime.
        var ex = Assert.Throws<PadKernelException>(() => tokenizer.Encode(new string('a', 64) + "!"));
        Assert.Contains("(a+)+$", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonRegularFile_IsRefused()
    {
        using var temp = new TempFolder();
        string fifo = Path.Combine(temp.Path, "tokenizer.json");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        // Reading a FIFO would block forever; it is refused without being opened.
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(fifo));
        Assert.Equal(fifo, ex.FilePath);
    }

    [Fact]
    public void TruncatedFixture_Throws()
    {
        using var temp = new TempFolder();
        string text = File.ReadAllText(Path.Combine(TestPaths.Model("stories260K-onnx"), "tokenizer.json"));
        string file = temp.Write("tokenizer.json", text[..(text.Length / 2)]);
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(file));
        Assert.Contains("not valid JSON", ex.Message);
    }

    [Theory]
    [InlineData("model", "{\"type\":\"Unigram\",\"vocab\":[]}", "model \"Unigram\"")]
    [InlineData("normalizer", "{\"type\":\"BertNormalizer\"}", "normalizer \"BertNormalizer\"")]
    [InlineData("pre_tokenizer", "{\"type\":\"Whitespace\"}", "pre_tokenizer \"Whitespace\"")]
    [InlineData("decoder", "{\"type\":\"WordPiece\",\"prefix\":\"##\"}", "decoder \"WordPiece\"")]
    [InlineData("decoder", "{\"type\":\"Strip\",\"content\":\" \",\"start\":0,\"stop\":1}", "Strip decoder")]
    [InlineData("pre_tokenizer", "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\p{L}*+\"},\"behavior\":\"Isolated\",\"invert\":false}", "regex")]
    [InlineData("pre_tokenizer", "{\"type\":\"Split\",\"pattern\":{\"String\":\" \"},\"behavior\":\"Contiguous\",\"invert\":false}", "Contiguous")]
    public void UnsupportedComponent_IsNamed(string key, string component, string expected)
    {
        using var temp = new TempFolder();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Model("stories260K-onnx"), "tokenizer.json")))!;
        json[key] = JsonNode.Parse(component);
        string file = temp.Write("tokenizer.json", json.ToJsonString());
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(file));
        Assert.Equal(file, ex.FilePath);
        Assert.Contains("unsupported component", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void MergeWithUnknownToken_Throws()
    {
        using var temp = new TempFolder();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Model("stories260K-onnx"), "tokenizer.json")))!;
        json["model"]!["merges"]!.AsArray().Add(new JsonArray("nonexistent-a", "nonexistent-b"));
        string file = temp.Write("tokenizer.json", json.ToJsonString());
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(file));
        Assert.Contains("nonexistent-a", ex.Message);
    }

    [Fact]
    public void CorruptTokenizerConfig_Throws()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(TestPaths.Model("stories260K-onnx"), "tokenizer.json"), Path.Combine(temp.Path, "tokenizer.json"));
        string config = temp.Write("tokenizer_config.json", "{ \"bos_token\": ");
        var ex = Assert.Throws<ModelFormatException>(() => HuggingFaceTokenizer.Load(temp.Path));
        Assert.Equal(config, ex.FilePath);
    }

    [Fact]
    public void MergesAsStringsAndAsPairs_GiveTheSameTokenizer()
    {
        using var temp = new TempFolder();
        string original = Path.Combine(TestPaths.Model("stories260K-onnx"), "tokenizer.json");
        var json = JsonNode.Parse(File.ReadAllText(original))!;
        var merges = json["model"]!["merges"]!.AsArray();
        Assert.IsType<JsonArray>(merges[0]);
        var asStrings = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create(m![0]!.GetValue<string>() + " " + m[1]!.GetValue<string>())!).ToArray());
        json["model"]!["merges"] = asStrings;
        string file = temp.Write("tokenizer.json", json.ToJsonString());

        var pairs = HuggingFaceTokenizer.Load(original);
        var strings = HuggingFaceTokenizer.Load(file);
        foreach (string text in Corpus.Plain)
        {
            Assert.Equal(pairs.Encode(text), strings.Encode(text));
        }
    }
}
