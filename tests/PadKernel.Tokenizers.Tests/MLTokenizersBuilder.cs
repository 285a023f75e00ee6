using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Microsoft.ML.Tokenizers;

namespace PadKernel.Tokenizers.Tests;

/// <summary>
/// Builds Microsoft.ML.Tokenizers 2.0.1 tokenizers from a fixture's <c>tokenizer.json</c> the way a user would, since
/// the package has no <c>tokenizer.json</c> loader: vocabulary, merges and the matched (non-control) added tokens go
/// into its public factories.
/// </summary>
internal static class MLTokenizersBuilder
{
    // GPT-2's pre-tokenizer pattern, as tokenizer.json's ByteLevel pre-tokenizer (use_regex: true) applies it.
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>
    /// <see cref="BpeTokenizer"/> from vocab and merges: byte-level with GPT-2's split pattern for a ByteLevel file,
    /// else the SentencePiece-style normalizer (prepend and escape spaces as '▁'). <see cref="BpeOptions"/> has no
    /// byte fallback.
    /// </summary>
    public static Tokenizer Bpe(string folder)
    {
        JsonObject json = Read(folder);
        JsonObject model = json["model"]!.AsObject();
        Dictionary<string, int> added = MatchedAddedTokens(json);
        bool byteLevel = json["pre_tokenizer"]?["type"]?.GetValue<string>() == "ByteLevel";
        var options = new BpeOptions(model["vocab"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<int>())))
        {
            Merges = model["merges"]!.AsArray().Select(Merge),
            SpecialTokens = added.Count > 0 ? added : null,
            ByteLevel = byteLevel,
            // SentencePiece BPE runs over the whole normalized text: one "word", not the package's default word split.
            PreTokenizer = new RegexPreTokenizer(new Regex(byteLevel ? Gpt2Pattern : @"[\s\S]+", RegexOptions.Compiled), added.Count > 0 ? added : null),
            Normalizer = byteLevel ? null : new MetaspaceNormalizer(),
            UnknownToken = model["unk_token"]?.GetValue<string>(),
            FuseUnknownTokens = model["fuse_unk"]?.GetValue<bool>() ?? false,
        };
        return BpeTokenizer.Create(options);
    }

    /// <summary>
    /// <see cref="SentencePieceTokenizer"/> (the package's only BPE with byte fallback; <c>LlamaTokenizer</c> is the
    /// same class) over a SentencePiece model protobuf written from the file, since the package reads no other form:
    /// one piece per vocabulary entry in id order, a merged piece scored by its first merge's rank (earlier = higher),
    /// <c>&lt;0xXX&gt;</c> pieces as bytes, the file's special added tokens as control pieces.
    /// </summary>
    public static Tokenizer SentencePiece(string folder)
    {
        JsonObject json = Read(folder);
        JsonObject model = json["model"]!.AsObject();
        var control = json["added_tokens"]!.AsArray().Where(t => t!["special"]!.GetValue<bool>())
            .ToDictionary(t => t!["id"]!.GetValue<int>(), t => t!["content"]!.GetValue<string>());
        string unk = model["unk_token"]!.GetValue<string>();
        var rank = new Dictionary<string, int>();
        foreach (string merge in model["merges"]!.AsArray().Select(Merge))
        {
            rank.TryAdd(merge.Replace(" ", string.Empty, StringComparison.Ordinal), rank.Count);
        }

        // Field numbers from sentencepiece_model.proto. ModelProto: 1 pieces, 2 trainer_spec, 3 normalizer_spec.
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream, leaveOpen: true);
        int unkId = 0, bosId = -1, eosId = -1;
        foreach ((string text, int id) in model["vocab"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<int>())).OrderBy(p => p.Item2))
        {
            string piece = control.GetValueOrDefault(id, text);
            int type = piece == unk ? 2 : control.ContainsKey(id) ? 3 : IsByte(piece) ? 6 : 1; // UNKNOWN, CONTROL, BYTE, NORMAL
            unkId = type == 2 ? id : unkId;
            bosId = piece == "<s>" ? id : bosId;
            eosId = piece == "</s>" ? id : eosId;
            float score = type != 1 ? 0f : rank.TryGetValue(text, out int k) ? -k : -(rank.Count + id);
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Message(o =>
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(piece);
                o.WriteTag(2, WireFormat.WireType.Fixed32); o.WriteFloat(score);
                o.WriteTag(3, WireFormat.WireType.Varint); o.WriteEnum(type);
            }));
        }

        // TrainerSpec: model_type BPE, byte_fallback, unk/bos/eos ids. NormalizerSpec: dummy prefix and '▁' escaping
        // as the file's Prepend + Replace normalizer; no whitespace collapsing (the file has none).
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Message(o =>
        {
            o.WriteTag(3, WireFormat.WireType.Varint); o.WriteEnum(2);
            o.WriteTag(35, WireFormat.WireType.Varint); o.WriteBool(model["byte_fallback"]?.GetValue<bool>() ?? false);
            o.WriteTag(40, WireFormat.WireType.Varint); o.WriteInt32(unkId);
            o.WriteTag(41, WireFormat.WireType.Varint); o.WriteInt32(bosId);
            o.WriteTag(42, WireFormat.WireType.Varint); o.WriteInt32(eosId);
        }));
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Message(o =>
        {
            o.WriteTag(3, WireFormat.WireType.Varint); o.WriteBool(true);
            o.WriteTag(4, WireFormat.WireType.Varint); o.WriteBool(false);
            o.WriteTag(5, WireFormat.WireType.Varint); o.WriteBool(true);
        }));
        output.Flush();
        stream.Position = 0;
        return SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream, leaveOpen: true);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(stream.ToArray());
    }

    private static bool IsByte(string piece) => piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>';

    private static string Merge(JsonNode? merge) =>
        merge is JsonArray pair ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}" : merge!.GetValue<string>();

    private static JsonObject Read(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.json")))!.AsObject();

    // Non-special added tokens are matched in text by Hugging Face even in the "plain" reference; control tokens are not.
    private static Dictionary<string, int> MatchedAddedTokens(JsonObject json) =>
        (json["added_tokens"]?.AsArray() ?? []).Where(t => !t!["special"]!.GetValue<bool>())
            .ToDictionary(t => t!["content"]!.GetValue<string>(), t => t!["id"]!.GetValue<int>());

    /// <summary>tokenizer.json's SentencePiece-style normalizer: Prepend "▁", then Replace " " with "▁".</summary>
    private sealed class MetaspaceNormalizer : Normalizer
    {
        public override string Normalize(string original) => "\u2581" + original.Replace(' ', '\u2581');

        public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
    }
}
