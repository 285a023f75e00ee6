using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Validation;

namespace PadKernel.Hardening.Tests;

/// <summary>The GenAI model-folder cases of issue 11, each as a regression test, on altered copies of stories260K-onnx.</summary>
public sealed class GenAIFolderValidatorTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _folder;

    public GenAIFolderValidatorTests()
    {
        _folder = Models.CopyFolder(Models.StoriesOnnx, _temp.File("model"));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("stories260K-onnx")]
    [InlineData("ort-tiny-random-gpt2")]
    [InlineData("ort-tiny-random-llama-fp16")]
    public void PublishedModelFoldersPass(string name) => GenAIFolderValidator.Validate(TestData.Model(name));

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(2_147_483_000)]
    [InlineData(50_000_000)]
    [InlineData(512)]
    [InlineData(-1)]
    public void VocabularyIdsOutsideTheVocabularyAreRejected(long id)
    {
        // Issue 11: int.MaxValue threw IndexOutOfRangeException, an id near 2^31 aborted on memory, 50,000,000 cost 900 MB.
        EditTokenizer(json => json["model"]!["vocab"]!["▁the"] = id);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.EndsWith("tokenizer.json", e.FilePath, StringComparison.Ordinal);
        Assert.Contains("model.vocab[\"▁the\"]", e.Message, StringComparison.Ordinal);
        Assert.Contains($"token id {id}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddedTokenIdsOutsideTheVocabularyAreRejected()
    {
        EditTokenizer(json => json["added_tokens"]![1]!["id"] = int.MaxValue);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("added_tokens[1].id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostileSplitRegexIsRejected()
    {
        // Issue 11: a catastrophic-backtracking Split pattern plus a crafted prompt hung the tokenizer forever.
        EditTokenizer(json => json["pre_tokenizer"] = JsonNode.Parse("""{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"(a+)+$"},"behavior":"Isolated","invert":false}]}"""));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("pre_tokenizer.pretokenizers[0].pattern.Regex", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a known tokenizer pattern", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedSplitPatternsAreAccepted()
    {
        const string Llama3 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        EditTokenizer(json => json["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Split",
            ["pattern"] = new JsonObject { ["Regex"] = Llama3 },
            ["behavior"] = "Isolated",
            ["invert"] = false,
        });
        GenAIFolderValidator.Validate(_folder);
    }

    [Fact]
    public void EveryAllowListedPatternIsLinearOnAdversarialInput()
    {
        // The allow-list is the defence, so check each entry: it compiles in .NET and matches pathological inputs
        // (long runs of one class, alternating classes, mismatched endings) within a generous match timeout.
        string[] probes =
        [
            new string(' ', 50_000) + "x",
            new string('a', 50_000) + "!",
            string.Concat(Enumerable.Repeat("a1 ", 20_000)),
            string.Concat(Enumerable.Repeat("'s", 20_000)),
            new string('\n', 30_000) + " " + new string('\r', 30_000),
            string.Concat(Enumerable.Repeat("Aa'", 20_000)) + "\u0301",
        ];
        foreach (string pattern in KnownPatterns.All.Keys)
        {
            var regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(10));
            foreach (string probe in probes)
            {
                _ = regex.Matches(probe).Count;
            }
        }
    }

    [Fact]
    public void EmptyReplacePatternIsRejectedNamingTheKey()
    {
        // Issue 11: "The value cannot be an empty string. (Parameter 'oldValue')" named neither the file nor the key.
        EditTokenizer(json => json["normalizer"]!["normalizers"]![1]!["pattern"]!["String"] = "");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("normalizer.normalizers[1].pattern.String", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("oldValue", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongTypesNameTheFileAndKey()
    {
        // Issue 11: "The requested operation requires an element of type 'String'" named neither.
        EditConfig(json => json["model"]!["decoder"]!["filename"] = 42);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.EndsWith("genai_config.json", e.FilePath, StringComparison.Ordinal);
        Assert.Contains("model.decoder.filename: must be a string, found the number 42", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("requested operation", e.Message, StringComparison.Ordinal);

        EditConfig(json => json["model"]!["decoder"]!["filename"] = "model.onnx");
        EditTokenizer(json => json["model"]!["vocab"]!["▁the"] = "seven");
        e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("model.vocab[\"▁the\"]: must be an integer token id, found the string \"seven\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../stories260K.onnx", "climbs out of the model folder")]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("missing.onnx", "does not exist")]
    [InlineData("", "must name a file")]
    public void DecoderFileMustBeInsideTheFolder(string name, string expected)
    {
        EditConfig(json => json["model"]!["decoder"]!["filename"] = name);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("model.decoder.filename", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolicLinksOutOfTheFolderAreRejected()
    {
        File.WriteAllText(_temp.File("outside.onnx"), "not in the folder");
        File.CreateSymbolicLink(Path.Combine(_folder, "escape.onnx"), _temp.File("outside.onnx"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "sub"), _temp.Path);
        foreach (string name in (string[])["escape.onnx", "sub/outside.onnx"])
        {
            EditConfig(json => json["model"]!["decoder"]!["filename"] = name);
            ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
            Assert.Contains("outside the model folder", e.Message, StringComparison.Ordinal);
        }

        // A link that stays inside the folder is fine.
        File.CreateSymbolicLink(Path.Combine(_folder, "alias.onnx"), "model.onnx");
        EditConfig(json => json["model"]!["decoder"]!["filename"] = "alias.onnx");
        GenAIFolderValidator.Validate(_folder);
    }

    [Theory]
    [InlineData("genai_config.json")]
    [InlineData("tokenizer.json")]
    [InlineData("tokenizer_config.json")]
    public async Task EndlessDevicesAndFifosAreRefusedWithoutReading(string name)
    {
        // Issue 11: pointing these files at an endless device aborted the process on memory.
        string path = Path.Combine(_folder, name);
        File.Delete(path);
        File.CreateSymbolicLink(path, "/dev/zero");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);

        File.Delete(path);
        _ = _temp.Fifo(Path.Combine("model", name));
        Bounded.Outcome validate = await Bounded.RunAsync(() => GenAIFolderValidator.Validate(_folder), TimeSpan.FromSeconds(30));
        Assert.True(validate.Finished, $"Validating a folder whose {name} is a FIFO hung.");
        Assert.IsType<ModelFormatException>(validate.Error);
    }

    [Fact]
    public void OversizedAndDeeplyNestedFilesAreRejected()
    {
        string config = Path.Combine(_folder, "genai_config.json");
        string original = File.ReadAllText(config);
        File.WriteAllText(config, original + new string(' ', (int)GenAIFolderValidator.MaxConfigBytes));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("the limit is", e.Message, StringComparison.Ordinal);

        File.WriteAllText(config, original);
        File.WriteAllText(Path.Combine(_folder, "tokenizer_config.json"), "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("tokenizer_config.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ByteOrderMarkIsAccepted()
    {
        string config = Path.Combine(_folder, "genai_config.json");
        File.WriteAllBytes(config, [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(config)]);
        GenAIFolderValidator.Validate(_folder);
    }

    [Fact]
    public void MergesMustUseVocabularyPieces()
    {
        EditTokenizer(json => json["model"]!["merges"]![0] = "▁zzz ▁qqq");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => GenAIFolderValidator.Validate(_folder));
        Assert.Contains("model.merges[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("not in model.vocab", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAllowListedPatternIsAccepted()
    {
        foreach (string pattern in KnownPatterns.All.Keys)
        {
            EditTokenizer(json => json["pre_tokenizer"] = new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = pattern }, ["behavior"] = "Isolated" });
            GenAIFolderValidator.Validate(_folder);
        }
    }

    private void EditTokenizer(Action<JsonNode> edit) => Edit("tokenizer.json", edit);

    private void EditConfig(Action<JsonNode> edit) => Edit("genai_config.json", edit);

    private void Edit(string name, Action<JsonNode> edit)
    {
        string path = Path.Combine(_folder, name);
        JsonNode json = JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
