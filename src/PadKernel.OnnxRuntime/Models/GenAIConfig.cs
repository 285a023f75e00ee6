using System.Globalization;
using System.Text.Json;
using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>The parts of an ONNX Runtime GenAI <c>genai_config.json</c> that PadKernel uses.</summary>
public sealed record GenAIConfig
{
    /// <summary>The file name GenAI model folders use.</summary>
    public const string FileName = "genai_config.json";

    /// <summary>Gets the architecture (<c>model.type</c>, for example <c>llama</c>, <c>gpt2</c>, <c>phi3</c>).</summary>
    public required string ModelType { get; init; }

    /// <summary>Gets <c>model.context_length</c>.</summary>
    public required int ContextLength { get; init; }

    /// <summary>Gets <c>model.vocab_size</c>.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Gets <c>model.bos_token_id</c>, or -1 when absent.</summary>
    public int BosTokenId { get; init; } = -1;

    /// <summary>Gets <c>model.eos_token_id</c> (a number or a list).</summary>
    public required IReadOnlyList<int> EosTokenIds { get; init; }

    /// <summary>Gets the decoder section.</summary>
    public required DecoderConfig Decoder { get; init; }

    /// <summary>Reads and validates <c>genai_config.json</c> in <paramref name="folder"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not JSON, or lacks a required key.</exception>
    public static GenAIConfig Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new ModelFormatException(path, $"{FileName} not found: an ONNX Runtime GenAI model folder needs one (it names the decoder file, the KV cache layout and the special token ids).");
        }

        JsonDocument document;
        try
        {
            // Capped like the folder validator (which has already read it), so this reader can never read more than it.
            document = JsonDocument.Parse(ModelFile.ReadAllBytes(path, Validation.GenAIFolderValidator.MaxConfigBytes, FileName));
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(path, $"not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return Parse(document.RootElement, path);
        }
    }

    private static GenAIConfig Parse(JsonElement root, string path)
    {
        var reader = new Reader(path);
        JsonElement model = reader.Object(root, "model", "model");
        JsonElement decoder = reader.Object(model, "decoder", "model.decoder");
        // GenAI itself reads the input/output names, KV layout and search defaults (the validator checked their types);
        // PadKernel needs only the thread count it may override.
        JsonElement sessionOptions = reader.OptionalObject(decoder, "session_options", "model.decoder.session_options");
        int? intra = reader.OptionalInt(sessionOptions, "intra_op_num_threads", "model.decoder.session_options.intra_op_num_threads");

        return new GenAIConfig
        {
            ModelType = reader.String(model, "type", "model.type"),
            ContextLength = reader.PositiveInt(model, "context_length", "model.context_length"),
            VocabularySize = reader.PositiveInt(model, "vocab_size", "model.vocab_size"),
            BosTokenId = reader.OptionalInt(model, "bos_token_id", "model.bos_token_id") ?? -1,
            EosTokenIds = reader.IntOrList(model, "eos_token_id", "model.eos_token_id"),
            Decoder = new DecoderConfig
            {
                FileName = reader.String(decoder, "filename", "model.decoder.filename"),
                NumHiddenLayers = reader.PositiveInt(decoder, "num_hidden_layers", "model.decoder.num_hidden_layers"),
                NumKeyValueHeads = reader.PositiveInt(decoder, "num_key_value_heads", "model.decoder.num_key_value_heads"),
                HeadSize = reader.PositiveInt(decoder, "head_size", "model.decoder.head_size"),
                IntraOpThreads = intra,
            },
        };
    }

    /// <summary>Reads typed values and reports the file and key of anything missing or malformed.</summary>
    private readonly struct Reader(string path)
    {
        public JsonElement Object(JsonElement parent, string name, string key)
        {
            JsonElement value = Required(parent, name, key);
            return value.ValueKind == JsonValueKind.Object ? value : throw Wrong(key, "an object", value);
        }

        public JsonElement OptionalObject(JsonElement parent, string name, string key)
        {
            if (!TryGet(parent, name, out JsonElement value))
            {
                return default;
            }

            return value.ValueKind == JsonValueKind.Object ? value : throw Wrong(key, "an object", value);
        }

        public string String(JsonElement parent, string name, string key)
        {
            JsonElement value = Required(parent, name, key);
            return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : throw Wrong(key, "a non-empty string", value);
        }

        public int Int(JsonElement parent, string name, string key)
        {
            JsonElement value = Required(parent, name, key);
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) ? i : throw Wrong(key, "an integer", value);
        }

        public int PositiveInt(JsonElement parent, string name, string key)
        {
            int value = Int(parent, name, key);
            return value > 0 ? value : throw new ModelFormatException(path, $"key '{key}' must be positive, not {value}.");
        }

        public int? OptionalInt(JsonElement parent, string name, string key) =>
            TryGet(parent, name, out _) ? Int(parent, name, key) : null;

        public IReadOnlyList<int> IntOrList(JsonElement parent, string name, string key)
        {
            JsonElement value = Required(parent, name, key);
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int single))
            {
                return [single];
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                var ids = new List<int>();
                foreach (JsonElement item in value.EnumerateArray())
                {
                    ids.Add(item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int id) ? id : throw Wrong(key, "a list of integers", value));
                }

                if (ids.Count > 0)
                {
                    return ids;
                }
            }

            throw Wrong(key, "an integer or a non-empty list of integers", value);
        }

        private JsonElement Required(JsonElement parent, string name, string key) =>
            TryGet(parent, name, out JsonElement value) ? value : throw new ModelFormatException(path, $"missing key '{key}'.");

        /// <summary>A key counts as present when its parent is an object and its value is not null.</summary>
        private static bool TryGet(JsonElement parent, string name, out JsonElement value)
        {
            value = default;
            return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
        }

        private ModelFormatException Wrong(string key, string expected, JsonElement value) =>
            new(path, $"key '{key}' must be {expected}, not {value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)} {Shorten(value.GetRawText())}.");

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}

/// <summary>The <c>model.decoder</c> section of <c>genai_config.json</c>.</summary>
public sealed record DecoderConfig
{
    /// <summary>Gets the <c>.onnx</c> file name, relative to the folder.</summary>
    public required string FileName { get; init; }

    /// <summary>Gets the number of transformer layers (one KV cache entry each).</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary>Gets the number of key/value heads.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Gets the size of one attention head.</summary>
    public required int HeadSize { get; init; }

    /// <summary>Gets <c>intra_op_num_threads</c>, if set.</summary>
    public int? IntraOpThreads { get; init; }
}
