using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Xunit.Abstractions;

namespace PadKernel.Tokenizers.Tests;

/// <summary>
/// Microsoft.ML.Tokenizers 2.0.1, built from each fixture's tokenizer.json (<see cref="MLTokenizersBuilder"/>), against
/// npm's <c>@huggingface/tokenizers</c> on <see cref="Corpus.Plain"/>: the measurement behind keeping PadKernel's own
/// tokenizer (docs/tokenizers.md). It agrees on the GPT-2 and stories260K fixtures and not on the fp16 Llama one.
/// </summary>
public sealed class MLTokenizersComparisonTests(ITestOutputHelper output)
{
    private static readonly string[] Minimal = ["aaaa", "\U0001F600"];

    private static readonly Lazy<Dictionary<string, ReferenceResult>> Results = new(() =>
        NodeReference.Encode(TestPaths.FixtureNames.Select(TestPaths.Model).ToArray(), [.. Corpus.Plain, .. Minimal]));

    [Fact]
    public void Gpt2_ByteLevelBpeTokenizer_GivesHuggingFacesIdsOnEveryLine() =>
        Assert.Empty(Differing("ort-tiny-random-gpt2", MLTokenizersBuilder.Bpe));

    [Fact]
    public void Stories_SentencePieceTokenizer_GivesHuggingFacesIdsOnEveryLine() =>
        Assert.Empty(Differing("stories260K-onnx", MLTokenizersBuilder.SentencePiece));

    [Fact]
    public void LlamaFp16_SentencePieceTokenizer_DiffersOnRunsOfOneCharacter()
    {
        // SentencePiece BPE joins any adjacent pair whose concatenation is a piece; Hugging Face's BPE only the pairs
        // listed in "merges". "▁aaaa": ML gives ▁aa|aa (29099, 7340), Hugging Face ▁a|aa|a (263, 7340, 29874).
        const string fixture = "ort-tiny-random-llama-fp16";
        List<int> differing = Differing(fixture, MLTokenizersBuilder.SentencePiece);
        Assert.NotEmpty(differing);
        Assert.All(differing, i => Assert.Matches(new Regex(@"(.)\1\1"), Corpus.Plain[i]));
        Assert.Equal([263, 7340, 29874], Reference(fixture, "aaaa"));
        Assert.Equal([29099, 7340], MLTokenizersBuilder.SentencePiece(TestPaths.Model(fixture)).EncodeToIds("aaaa"));
    }

    [Theory]
    [InlineData("stories260K-onnx", 410)]
    [InlineData("ort-tiny-random-llama-fp16", 29871)]
    public void SentencePieceFixtures_BpeTokenizer_HasNoByteFallback(string fixture, int space)
    {
        // BpeOptions has no byte_fallback: a character outside the vocabulary becomes <unk> (id 0), where Hugging Face
        // writes its UTF-8 bytes as <0xXX> pieces. Every line that differs is such a line.
        Tokenizer tokenizer = MLTokenizersBuilder.Bpe(TestPaths.Model(fixture));
        HashSet<int> bytePieces = BytePieces(fixture);
        List<int> differing = Differing(fixture, MLTokenizersBuilder.Bpe);
        Assert.NotEmpty(differing);
        Assert.All(differing, i =>
        {
            Assert.Contains(0, tokenizer.EncodeToIds(Corpus.Plain[i]));
            Assert.Contains(Results.Value[TestPaths.Model(fixture)].Plain[i].Ids, bytePieces.Contains);
        });
        Assert.Equal([space, 243, 162, 155, 131], Reference(fixture, "\U0001F600"));
        Assert.Equal([space, 0], tokenizer.EncodeToIds("\U0001F600"));
    }

    private List<int> Differing(string fixture, Func<string, Tokenizer> build)
    {
        string folder = TestPaths.Model(fixture);
        Tokenizer tokenizer = build(folder);
        var differing = new List<int>();
        for (int i = 0; i < Corpus.Plain.Length; i++)
        {
            int[] expected = Results.Value[folder].Plain[i].Ids;
            IReadOnlyList<int> ids = tokenizer.EncodeToIds(Corpus.Plain[i]);
            if (!ids.SequenceEqual(expected))
            {
                differing.Add(i);
                output.WriteLine($"line {i} {TestFormat.Show(Corpus.Plain[i])}\n  ML.Tokenizers [{TestFormat.Ids(ids)}]\n  reference     [{TestFormat.Ids(expected)}]");
            }
        }

        output.WriteLine($"{fixture}: {Corpus.Plain.Length - differing.Count}/{Corpus.Plain.Length} lines identical to @huggingface/tokenizers");
        return differing;
    }

    private static int[] Reference(string fixture, string text) =>
        Results.Value[TestPaths.Model(fixture)].Plain[Corpus.Plain.Length + Array.IndexOf(Minimal, text)].Ids;

    // The ids of the byte-fallback pieces "<0x00>".."<0xFF>".
    private static HashSet<int> BytePieces(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Model(fixture), "tokenizer.json")))!["model"]!["vocab"]!.AsObject()
            .Where(p => Regex.IsMatch(p.Key, "^<0x[0-9A-F]{2}>$")).Select(p => p.Value!.GetValue<int>()).ToHashSet();
}
