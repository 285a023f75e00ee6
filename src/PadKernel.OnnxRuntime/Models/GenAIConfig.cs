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

    /// <summary>Gets <c>model.pad_token_id</c>, or -1 when absent.</summary>
    public int PadTokenId { get; init; } = -1;

    /// <summary>Gets the decoder section.</summary>
    public required DecoderConfig Decoder { get; init; }

    /// <summary>Gets the <c>search</c> defaults.</summary>
    public SearchConfig Search { get; init; } = new();

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
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
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
        JsonElement inputs = reader.OptionalObject(decoder, "inputs", "model.decoder.inputs");
        JsonElement outputs = reader.OptionalObject(decoder, "outputs", "model.decoder.outputs");

        string? pastNames = reader.OptionalString(inputs, "past_names", "model.decoder.inputs.past_names");
        string? presentNames = reader.OptionalString(outputs, "present_names", "model.decoder.outputs.present_names");
        if ((pastNames is null) != (presentNames is null))
        {
            throw new ModelFormatException(path, "model.decoder.inputs.past_names and model.decoder.outputs.present_names must be given together (combined KV cache layout).");
        }

        var names = new DecoderNames
        {
            InputIds = reader.OptionalString(inputs, "input_ids", "model.decoder.inputs.input_ids"),
            AttentionMask = reader.OptionalString(inputs, "attention_mask", "model.decoder.inputs.attention_mask"),
            PositionIds = reader.OptionalString(inputs, "position_ids", "model.decoder.inputs.position_ids"),
            PastNames = pastNames,
            PastKeyNames = reader.OptionalString(inputs, "past_key_names", "model.decoder.inputs.past_key_names"),
            PastValueNames = reader.OptionalString(inputs, "past_value_names", "model.decoder.inputs.past_value_names"),
            Logits = reader.OptionalString(outputs, "logits", "model.decoder.outputs.logits"),
            PresentNames = presentNames,
            PresentKeyNames = reader.OptionalString(outputs, "present_key_names", "model.decoder.outputs.present_key_names"),
            PresentValueNames = reader.OptionalString(outputs, "present_value_names", "model.decoder.outputs.present_value_names"),
        };

        var sessionEntries = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonElement sessionOptions = reader.OptionalObject(decoder, "session_options", "model.decoder.session_options");
        string? logId = null;
        int? intra = null, inter = null;
        bool requestsCuda = false;
        if (sessionOptions.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty option in sessionOptions.EnumerateObject())
            {
                switch (option.Name)
                {
                    case "log_id":
                        logId = option.Value.GetString();
                        break;
                    case "intra_op_num_threads":
                        intra = reader.Int(sessionOptions, option.Name, "model.decoder.session_options." + option.Name);
                        break;
                    case "inter_op_num_threads":
                        inter = reader.Int(sessionOptions, option.Name, "model.decoder.session_options." + option.Name);
                        break;
                    case "provider_options":
                        requestsCuda = option.Value.ValueKind == JsonValueKind.Array &&
                            option.Value.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("cuda", out _));
                        break;
                    default:
                        // Dotted keys are ONNX Runtime session config entries (AddSessionConfigEntry); other GenAI
                        // conveniences (log levels, profiling, custom op libraries) do not change results and are skipped.
                        if (option.Name.Contains('.', StringComparison.Ordinal) && option.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                        {
                            sessionEntries[option.Name] = option.Value.ToString();
                        }

                        break;
                }
            }
        }

        JsonElement search = reader.OptionalObject(root, "search", "search");
        var searchConfig = new SearchConfig();
        if (search.ValueKind == JsonValueKind.Object)
        {
            searchConfig = new SearchConfig
            {
                DoSample = reader.OptionalBool(search, "do_sample", "search.do_sample") ?? searchConfig.DoSample,
                MaxLength = reader.OptionalInt(search, "max_length", "search.max_length") ?? searchConfig.MaxLength,
                Temperature = reader.OptionalFloat(search, "temperature", "search.temperature") ?? searchConfig.Temperature,
                TopK = reader.OptionalInt(search, "top_k", "search.top_k") ?? searchConfig.TopK,
                TopP = reader.OptionalFloat(search, "top_p", "search.top_p") ?? searchConfig.TopP,
                RepetitionPenalty = reader.OptionalFloat(search, "repetition_penalty", "search.repetition_penalty") ?? searchConfig.RepetitionPenalty,
            };
        }

        return new GenAIConfig
        {
            ModelType = reader.String(model, "type", "model.type"),
            ContextLength = reader.PositiveInt(model, "context_length", "model.context_length"),
            VocabularySize = reader.PositiveInt(model, "vocab_size", "model.vocab_size"),
            BosTokenId = reader.OptionalInt(model, "bos_token_id", "model.bos_token_id") ?? -1,
            EosTokenIds = reader.IntOrList(model, "eos_token_id", "model.eos_token_id"),
            PadTokenId = reader.OptionalInt(model, "pad_token_id", "model.pad_token_id") ?? -1,
            Decoder = new DecoderConfig
            {
                FileName = reader.String(decoder, "filename", "model.decoder.filename"),
                NumHiddenLayers = reader.PositiveInt(decoder, "num_hidden_layers", "model.decoder.num_hidden_layers"),
                NumKeyValueHeads = reader.PositiveInt(decoder, "num_key_value_heads", "model.decoder.num_key_value_heads"),
                HeadSize = reader.PositiveInt(decoder, "head_size", "model.decoder.head_size"),
                Names = names,
                SessionConfigEntries = sessionEntries,
                LogId = logId,
                IntraOpThreads = intra,
                InterOpThreads = inter,
                RequestsCuda = requestsCuda,
            },
            Search = searchConfig,
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

        public string? OptionalString(JsonElement parent, string name, string key)
        {
            if (!TryGet(parent, name, out JsonElement value))
            {
                return null;
            }

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

        public float? OptionalFloat(JsonElement parent, string name, string key)
        {
            if (!TryGet(parent, name, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number ? value.GetSingle() : throw Wrong(key, "a number", value);
        }

        public bool? OptionalBool(JsonElement parent, string name, string key)
        {
            if (!TryGet(parent, name, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Wrong(key, "true or false", value);
        }

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

    /// <summary>Gets the input/output names as written in the file (null where absent).</summary>
    public required DecoderNames Names { get; init; }

    /// <summary>Gets the session options that are plain ONNX Runtime config entries.</summary>
    public IReadOnlyDictionary<string, string> SessionConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the session's <c>log_id</c>, if any.</summary>
    public string? LogId { get; init; }

    /// <summary>Gets <c>intra_op_num_threads</c>, if set.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>Gets <c>inter_op_num_threads</c>, if set.</summary>
    public int? InterOpThreads { get; init; }

    /// <summary>Gets a value indicating whether <c>provider_options</c> asks for CUDA.</summary>
    public bool RequestsCuda { get; init; }
}

/// <summary>Input and output names from <c>model.decoder.inputs/outputs</c>; null means the key is absent and the default applies.</summary>
public sealed record DecoderNames
{
    /// <summary>Gets <c>inputs.input_ids</c>.</summary>
    public string? InputIds { get; init; }

    /// <summary>Gets <c>inputs.attention_mask</c>.</summary>
    public string? AttentionMask { get; init; }

    /// <summary>Gets <c>inputs.position_ids</c>.</summary>
    public string? PositionIds { get; init; }

    /// <summary>Gets <c>inputs.past_names</c> (combined layout: <c>[2, batch, heads, past, head_size]</c>).</summary>
    public string? PastNames { get; init; }

    /// <summary>Gets <c>inputs.past_key_names</c>.</summary>
    public string? PastKeyNames { get; init; }

    /// <summary>Gets <c>inputs.past_value_names</c>.</summary>
    public string? PastValueNames { get; init; }

    /// <summary>Gets <c>outputs.logits</c>.</summary>
    public string? Logits { get; init; }

    /// <summary>Gets <c>outputs.present_names</c>.</summary>
    public string? PresentNames { get; init; }

    /// <summary>Gets <c>outputs.present_key_names</c>.</summary>
    public string? PresentKeyNames { get; init; }

    /// <summary>Gets <c>outputs.present_value_names</c>.</summary>
    public string? PresentValueNames { get; init; }
}

/// <summary>The <c>search</c> section: GenAI's default generation settings.</summary>
public sealed record SearchConfig
{
    /// <summary>Gets a value indicating whether sampling is on (otherwise greedy).</summary>
    public bool DoSample { get; init; }

    /// <summary>Gets the maximum total length (prompt plus generated), or 0 when unset.</summary>
    public int MaxLength { get; init; }

    /// <summary>Gets the sampling temperature.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Gets the top-k cut-off (0 = none).</summary>
    public int TopK { get; init; }

    /// <summary>Gets the nucleus cut-off.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Gets the repetition penalty (1 = none).</summary>
    public float RepetitionPenalty { get; init; } = 1f;
}
