using System.Text.Json.Nodes;

namespace PadKernel.Tokenizers.Tests;

/// <summary>
/// tokenizer.json files of the other members of the two families, made from the fixtures by swapping in the
/// components those models ship (Llama 3 / Qwen 2 regex Split + ByteLevel, Metaspace), and the reference's
/// encodings of the corpus with them. Created once per test class, deleted afterwards.
/// </summary>
public sealed class TokenizerVariants : IDisposable
{
    // Llama 3's and Qwen 2's pre-tokenization patterns, as their tokenizer.json files write them.
    private const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    private const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>A non-special added token some variants get (the corpus has lines with it).</summary>
    public const string NonSpecialToken = "§§";

    // The GPT-4o (o200k) style pattern (Phi-4-mini): case-class letter runs, \p{M}, '/' after punctuation.
    private const string O200kPattern = @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private readonly TempFolder _folder = new();
    private readonly Lazy<Dictionary<string, ReferenceResult>> _results;

    public TokenizerVariants()
    {
        string gpt2 = File.ReadAllText(Path.Combine(TestPaths.Model("ort-tiny-random-gpt2"), "tokenizer.json"));
        string llama = File.ReadAllText(Path.Combine(TestPaths.Model("ort-tiny-random-llama-fp16"), "tokenizer.json"));

        Add("llama3-style", gpt2, json =>
        {
            json["pre_tokenizer"] = SplitThenByteLevel(Llama3Pattern);
            json["model"]!["ignore_merges"] = true;
            AddToken(json, NonSpecialToken);

            // As Llama 3: BOS added by a TemplateProcessing nested in a Sequence post-processor.
            json["post_processor"] = JsonNode.Parse("""
                {"type":"Sequence","processors":[
                  {"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true},
                  {"type":"TemplateProcessing",
                   "single":[{"SpecialToken":{"id":"<|endoftext|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
                   "pair":[{"SpecialToken":{"id":"<|endoftext|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"<|endoftext|>","type_id":1}},{"Sequence":{"id":"B","type_id":1}}],
                   "special_tokens":{"<|endoftext|>":{"id":"<|endoftext|>","ids":[50256],"tokens":["<|endoftext|>"]}}}]}
                """);
        });
        Add("qwen2-style", gpt2, json =>
        {
            json["normalizer"] = JsonNode.Parse("""{"type":"NFC"}""");
            json["pre_tokenizer"] = SplitThenByteLevel(Qwen2Pattern);
            var merges = json["model"]!["merges"]!.AsArray();
            json["model"]!["merges"] = new JsonArray(merges.Select(m =>
            {
                string[] parts = m!.GetValue<string>().Split(' ');
                return (JsonNode)new JsonArray(parts[0], parts[1]);
            }).ToArray());
        });
        Add("o200k-style", gpt2, json => json["pre_tokenizer"] = SplitThenByteLevel(O200kPattern));
        Add("gpt2-prefix-space", gpt2, json =>
        {
            json["pre_tokenizer"] = JsonNode.Parse("""{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true}""");
            AddToken(json, NonSpecialToken);
        });
        Add("llama2-added-token", llama, json => AddToken(json, NonSpecialToken));
        Add("metaspace-first", llama, json =>
        {
            json["normalizer"] = null;
            json["pre_tokenizer"] = JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}""");
            AddToken(json, NonSpecialToken);
        });
        Add("metaspace-always", llama, json =>
        {
            json["normalizer"] = null;
            json["pre_tokenizer"] = JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":false}""");
            json["decoder"] = JsonNode.Parse("""{"type":"Sequence","decoders":[{"type":"ByteFallback"},{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":false}]}""");
            AddToken(json, NonSpecialToken);
        });

        _results = new(() => NodeReference.Encode(Folders.Values.ToArray(), [.. Corpus.Plain]));
    }

    /// <summary>Gets the variant folders by name.</summary>
    public Dictionary<string, string> Folders { get; } = [];

    /// <summary>Gets the reference's encodings of <see cref="Corpus.Plain"/> for the variant folder.</summary>
    public ReferenceResult Reference(string name) => _results.Value[Folders[name]];

    public void Dispose() => _folder.Dispose();

    // Appends a non-special added token with the next free id, as fine-tuning tools add vocabulary.
    private static void AddToken(JsonNode json, string content)
    {
        int id = json["model"]!["vocab"]!.AsObject().Select(p => p.Value!.GetValue<int>())
            .Concat(json["added_tokens"]!.AsArray().Select(t => t!["id"]!.GetValue<int>())).Max() + 1;
        json["added_tokens"]!.AsArray().Add(new JsonObject
        {
            ["id"] = id,
            ["content"] = content,
            ["single_word"] = false,
            ["lstrip"] = false,
            ["rstrip"] = false,
            ["normalized"] = false,
            ["special"] = false,
        });
    }

    private static JsonNode SplitThenByteLevel(string pattern) => new JsonObject
    {
        ["type"] = "Sequence",
        ["pretokenizers"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "Split",
                ["pattern"] = new JsonObject { ["Regex"] = pattern },
                ["behavior"] = "Isolated",
                ["invert"] = false,
            },
            JsonNode.Parse("""{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}""")),
    };

    private void Add(string name, string baseJson, Action<JsonNode> change)
    {
        JsonNode json = JsonNode.Parse(baseJson)!;
        change(json);
        _folder.Write(Path.Combine(name, "tokenizer.json"), json.ToJsonString());
        Folders[name] = Path.Combine(_folder.Path, name);
    }
}
