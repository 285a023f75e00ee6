using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PadKernel.Models;

namespace PadKernel.Tokenizers.Components;

/// <summary>An added token of <c>tokenizer.json</c>.</summary>
internal readonly record struct AddedToken(int Id, string Content, bool Special);

/// <summary>Everything read from <c>tokenizer.json</c>.</summary>
internal sealed record TokenizerDefinition(
    BpeModel Model,
    Normalizer? Normalizer,
    PreTokenizer? PreTokenizer,
    TokenDecoding Decoding,
    IReadOnlyList<AddedToken> AddedTokens,
    string? TemplateBosToken);

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c>, accepting the components the byte-level and SentencePiece-style BPE
/// families use and rejecting anything else with a <see cref="ModelFormatException"/> that names the component.
/// </summary>
internal sealed class TokenizerJsonReader
{
    private readonly string _path;

    /// <summary>The largest tokenizer.json read (64 MiB; published ones are up to about 20 MB).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>How long one match of a tokenizer.json pattern may take (published patterns take microseconds).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private TokenizerJsonReader(string path) => _path = path;

    public static TokenizerDefinition Read(string path)
    {
        JsonDocument document;
        try
        {
            // Read whole under a cap, from a regular file only: a path at an endless device or a FIFO must not hang or exhaust memory.
            document = JsonDocument.Parse(ModelFile.ReadAllBytes(path, MaxBytes, "tokenizer.json"), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(path, $"not valid JSON ({ex.Message})", ex);
        }
        catch (IOException ex)
        {
            throw new ModelFormatException(path, $"cannot be read ({ex.Message})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelFormatException(path, $"cannot be read ({ex.Message})", ex);
        }

        using (document)
        {
            return new TokenizerJsonReader(path).Read(document.RootElement);
        }
    }

    private TokenizerDefinition Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Fail("the top level is not a JSON object");
        }

        if (!root.TryGetProperty("model", out JsonElement model) || model.ValueKind != JsonValueKind.Object)
        {
            throw Fail("has no \"model\" object");
        }

        var addedTokens = ReadAddedTokens(root);
        BpeModel bpe = ReadBpe(model);
        Normalizer? normalizer = Optional(root, "normalizer") is { } n ? ReadNormalizer(n) : null;
        PreTokenizer? preTokenizer = Optional(root, "pre_tokenizer") is { } p ? ReadPreTokenizer(p) : null;
        if (Optional(root, "decoder") is not { } decoder)
        {
            throw Fail("has no \"decoder\"; unsupported component: a BPE tokenizer without a decoder");
        }

        TokenDecoding decoding = TokenDecoding.Create(ReadDecoderSteps(decoder));
        return new TokenizerDefinition(bpe, normalizer, preTokenizer, decoding, addedTokens, ReadTemplateBos(root));
    }

    private List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (Optional(root, "added_tokens") is not { } array)
        {
            return tokens;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Fail("\"added_tokens\" is not an array");
        }

        foreach (JsonElement token in array.EnumerateArray())
        {
            int id = token.TryGetProperty("id", out JsonElement idElement) && idElement.TryGetInt32(out int value) && value >= 0
                ? value
                : throw Fail("an entry of \"added_tokens\" has no valid \"id\"");
            string content = token.TryGetProperty("content", out JsonElement c) && c.ValueKind == JsonValueKind.String
                ? c.GetString()!
                : throw Fail($"added token {id} has no \"content\"");
            bool special = token.TryGetProperty("special", out JsonElement s) && s.ValueKind == JsonValueKind.True;
            tokens.Add(new AddedToken(id, content, special));
        }

        return tokens;
    }

    private BpeModel ReadBpe(JsonElement model)
    {
        string type = model.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "BPE";
        if (type != "BPE")
        {
            throw Unsupported("model", type);
        }

        if (Optional(model, "dropout") is { } dropout && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
        {
            throw Fail("unsupported component: BPE dropout (a training-time option)");
        }

        foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (Optional(model, affix) is { ValueKind: JsonValueKind.String } a && a.GetString()!.Length > 0)
            {
                throw Fail($"unsupported component: BPE with a non-empty \"{affix}\"");
            }
        }

        if (!model.TryGetProperty("vocab", out JsonElement vocabElement) || vocabElement.ValueKind != JsonValueKind.Object)
        {
            throw Fail("model has no \"vocab\" object");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in vocabElement.EnumerateObject())
        {
            if (!entry.Value.TryGetInt32(out int id) || id < 0)
            {
                throw Fail($"vocab entry \"{entry.Name}\" has no valid id");
            }

            vocab[entry.Name] = id;
        }

        var merges = new Dictionary<long, (int Rank, int Id)>();
        if (Optional(model, "merges") is { } mergesElement)
        {
            if (mergesElement.ValueKind != JsonValueKind.Array)
            {
                throw Fail("\"merges\" is not an array");
            }

            // Span look-ups: no substring or concatenation per merge (tens of thousands of them).
            var lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
            merges.EnsureCapacity(mergesElement.GetArrayLength());
            Span<char> buffer = stackalloc char[256];
            int rank = 0;
            foreach (JsonElement merge in mergesElement.EnumerateArray())
            {
                (string text, int split) = ReadMerge(merge, rank);
                ReadOnlySpan<char> left = text.AsSpan(0, split);
                ReadOnlySpan<char> right = text.AsSpan(split + (merge.ValueKind == JsonValueKind.String ? 1 : 0));
                Span<char> joined = left.Length + right.Length <= buffer.Length ? buffer[..(left.Length + right.Length)] : new char[left.Length + right.Length];
                left.CopyTo(joined);
                right.CopyTo(joined[left.Length..]);
                if (!lookup.TryGetValue(left, out int leftId) || !lookup.TryGetValue(right, out int rightId) ||
                    !lookup.TryGetValue(joined, out int mergedId))
                {
                    throw Fail($"merge {rank} (\"{left}\" \"{right}\") uses a token missing from the vocab");
                }

                merges.TryAdd(BpeModel.Key(leftId, rightId), (rank, mergedId));
                rank++;
            }
        }

        int unkId = -1;
        if (Optional(model, "unk_token") is { ValueKind: JsonValueKind.String } unk && !vocab.TryGetValue(unk.GetString()!, out unkId))
        {
            throw Fail($"unk_token \"{unk.GetString()}\" is not in the vocab");
        }

        return new BpeModel(
            vocab,
            merges,
            unkId,
            fuseUnk: Flag(model, "fuse_unk"),
            byteFallback: Flag(model, "byte_fallback"),
            ignoreMerges: Flag(model, "ignore_merges"));
    }

    // A merge as one string and where its right token starts: "a b" as written, or [a, b] joined without a space.
    private (string Text, int Split) ReadMerge(JsonElement merge, int rank)
    {
        if (merge.ValueKind == JsonValueKind.String)
        {
            string line = merge.GetString()!;
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
            {
                throw Fail($"merge {rank} \"{line}\" is not two tokens separated by one space");
            }

            return (line, space);
        }

        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2 &&
            merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
        {
            string left = merge[0].GetString()!;
            return (left + merge[1].GetString(), left.Length);
        }

        throw Fail($"merge {rank} is neither \"a b\" nor [\"a\", \"b\"]");
    }

    private Normalizer ReadNormalizer(JsonElement element)
    {
        string type = TypeOf(element, "normalizer");
        switch (type)
        {
            case "Sequence":
                return new SequenceNormalizer(Items(element, "normalizers").Select(ReadNormalizer).ToArray());
            case "Prepend":
                return new PrependNormalizer(RequiredString(element, "prepend", "Prepend normalizer"));
            case "Replace":
            {
                string content = RequiredString(element, "content", "Replace normalizer");
                return ReadPattern(element, "Replace normalizer") switch
                {
                    (string literal, null) => new ReplaceNormalizer(literal, content),
                    (_, Regex regex) => new RegexReplaceNormalizer(regex, content),
                    _ => throw Fail("Replace normalizer has no pattern"),
                };
            }

            case "NFC":
                return new UnicodeNormalizer(NormalizationForm.FormC);
            case "NFD":
                return new UnicodeNormalizer(NormalizationForm.FormD);
            case "NFKC":
                return new UnicodeNormalizer(NormalizationForm.FormKC);
            case "NFKD":
                return new UnicodeNormalizer(NormalizationForm.FormKD);
            case "Lowercase":
                return new LowercaseNormalizer();
            default:
                throw Unsupported("normalizer", type);
        }
    }

    private PreTokenizer ReadPreTokenizer(JsonElement element)
    {
        string type = TypeOf(element, "pre_tokenizer");
        switch (type)
        {
            case "Sequence":
                return new SequencePreTokenizer(Items(element, "pretokenizers").Select(ReadPreTokenizer).ToArray());
            case "ByteLevel":
            {
                bool useRegex = Optional(element, "use_regex") is not { ValueKind: JsonValueKind.False };
                RegexSplitter? splitter = useRegex ? new RegexSplitter(Compile(ByteLevelPreTokenizer.Gpt2Pattern, "ByteLevel pre-tokenizer")) : null;
                return new ByteLevelPreTokenizer(Flag(element, "add_prefix_space"), splitter);
            }

            case "Split":
            {
                var (literal, regex) = ReadPattern(element, "Split pre-tokenizer");
                regex ??= Compile(Regex.Escape(literal!), "Split pre-tokenizer");
                string behavior = RequiredString(element, "behavior", "Split pre-tokenizer");
                SplitBehavior parsed = behavior switch
                {
                    "Isolated" => SplitBehavior.Isolated,
                    "Removed" => SplitBehavior.Removed,
                    "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
                    "MergedWithNext" => SplitBehavior.MergedWithNext,
                    _ => throw Fail($"unsupported component: Split pre-tokenizer behavior \"{behavior}\""),
                };
                return new SplitPreTokenizer(new RegexSplitter(regex), parsed, Flag(element, "invert"));
            }

            case "Metaspace":
                return new MetaspacePreTokenizer(
                    ReadReplacement(element, "Metaspace pre-tokenizer"),
                    ReadPrependScheme(element),
                    split: Optional(element, "split") is not { ValueKind: JsonValueKind.False });

            default:
                throw Unsupported("pre_tokenizer", type);
        }
    }

    private IEnumerable<DecoderStep> ReadDecoderSteps(JsonElement element)
    {
        string type = TypeOf(element, "decoder");
        switch (type)
        {
            case "Sequence":
                return Items(element, "decoders").SelectMany(ReadDecoderSteps).ToArray();
            case "ByteLevel":
                return [new DecoderStep.ByteLevelStep()];
            case "ByteFallback":
                return [new DecoderStep.ByteFallbackStep()];
            case "Fuse":
                return [new DecoderStep.FuseStep()];
            case "Replace":
            {
                string content = RequiredString(element, "content", "Replace decoder");
                var (literal, _) = ReadPattern(element, "Replace decoder");
                return literal is null
                    ? throw Fail("unsupported component: Replace decoder with a regex pattern")
                    : [new DecoderStep.ReplaceStep(literal, content)];
            }

            case "Strip":
            {
                string content = RequiredString(element, "content", "Strip decoder");
                int start = Optional(element, "start") is { } s && s.TryGetInt32(out int sv) ? sv : 0;
                int stop = Optional(element, "stop") is { } e && e.TryGetInt32(out int ev) ? ev : 0;
                if (content != " " || stop != 0)
                {
                    throw Fail("unsupported component: Strip decoder other than leading spaces (content \" \", stop 0)");
                }

                return [new DecoderStep.StripStep(start)];
            }

            case "Metaspace":
                return [new DecoderStep.MetaspaceStep(ReadReplacement(element, "Metaspace decoder"), ReadPrependScheme(element) != PrependScheme.Never)];

            default:
                throw Unsupported("decoder", type);
        }
    }

    private char ReadReplacement(JsonElement element, string component)
    {
        string replacement = RequiredString(element, "replacement", component);
        return replacement.Length == 1
            ? replacement[0]
            : throw Fail($"unsupported component: {component} replacement that is not one character");
    }

    private PrependScheme ReadPrependScheme(JsonElement element)
    {
        if (Optional(element, "prepend_scheme") is { ValueKind: JsonValueKind.String } scheme)
        {
            return scheme.GetString() switch
            {
                "first" => PrependScheme.First,
                "always" => PrependScheme.Always,
                "never" => PrependScheme.Never,
                var other => throw Fail($"unsupported component: Metaspace prepend_scheme \"{other}\""),
            };
        }

        // Older files: add_prefix_space (true = always).
        return Optional(element, "add_prefix_space") is { ValueKind: JsonValueKind.False } ? PrependScheme.Never : PrependScheme.Always;
    }

    private (string? Literal, Regex? Regex) ReadPattern(JsonElement element, string component)
    {
        if (!element.TryGetProperty("pattern", out JsonElement pattern) || pattern.ValueKind != JsonValueKind.Object)
        {
            throw Fail($"{component} has no \"pattern\" object");
        }

        if (pattern.TryGetProperty("String", out JsonElement literal) && literal.ValueKind == JsonValueKind.String)
        {
            return (literal.GetString()!, null);
        }

        if (pattern.TryGetProperty("Regex", out JsonElement regex) && regex.ValueKind == JsonValueKind.String)
        {
            return (null, Compile(regex.GetString()!, component));
        }

        throw Fail($"{component} pattern is neither String nor Regex");
    }

    private Regex Compile(string pattern, string component)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException(_path, $"unsupported component: {component} regex \"{pattern}\" is not supported by .NET regular expressions ({ex.Message})", ex);
        }
    }

    private static string? ReadTemplateBos(JsonElement root) =>
        Optional(root, "post_processor") is { } post ? TemplateBos(post) : null;

    // TemplateProcessing { single: [ {SpecialToken: {id: "<s>"}}, {Sequence: ...} ] } adds BOS; Llama 3 nests it in a
    // Sequence of post-processors.
    private static string? TemplateBos(JsonElement post)
    {
        string? type = post.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type == "Sequence" && post.TryGetProperty("processors", out JsonElement processors) && processors.ValueKind == JsonValueKind.Array)
        {
            return processors.EnumerateArray().Select(TemplateBos).FirstOrDefault(bos => bos is not null);
        }

        if (type == "TemplateProcessing" &&
            post.TryGetProperty("single", out JsonElement single) && single.ValueKind == JsonValueKind.Array &&
            single.GetArrayLength() > 0 && single[0].ValueKind == JsonValueKind.Object &&
            single[0].TryGetProperty("SpecialToken", out JsonElement first) &&
            first.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String)
        {
            return id.GetString();
        }

        return null;
    }

    private static JsonElement? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;

    private string TypeOf(JsonElement element, string component) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()!
            : throw Fail($"a {component} has no \"type\"");

    private IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().ToArray()
            : throw Fail($"Sequence has no \"{name}\" array");

    private string RequiredString(JsonElement element, string name, string component) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Fail($"{component} has no \"{name}\" string");

    private ModelFormatException Unsupported(string component, string type) =>
        Fail(string.Create(CultureInfo.InvariantCulture, $"unsupported component: {component} \"{type}\" (supported: BPE with the normalizers, pre-tokenizers and decoders of byte-level and SentencePiece-style tokenizers; see docs/tokenizers.md)"));

    private ModelFormatException Fail(string message) => new(_path, message);
}
