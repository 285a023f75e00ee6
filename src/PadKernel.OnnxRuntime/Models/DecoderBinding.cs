using System.Globalization;
using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// How a GenAI decoder's inputs and outputs map onto what PadKernel feeds: resolved once per model from
/// genai_config.json and the session's metadata (names, element types and KV layout are read, never assumed).
/// </summary>
internal sealed class DecoderBinding
{
    private DecoderBinding()
    {
    }

    public int InputIds { get; private init; }

    public int AttentionMask { get; private init; } = -1;

    public int PositionIds { get; private init; } = -1;

    /// <summary>Gets the session input index of each KV cache tensor (layer-major; key then value for the split layout).</summary>
    public required int[] Past { get; init; }

    public int Logits { get; private init; }

    /// <summary>Gets the session output index of each present tensor, in the order of <see cref="Past"/>.</summary>
    public required int[] Present { get; init; }

    public TensorElementType InputIdsType { get; private init; }

    public TensorElementType AttentionMaskType { get; private init; }

    public TensorElementType PositionIdsType { get; private init; }

    public TensorElementType CacheType { get; private init; }

    public TensorElementType LogitsType { get; private init; }

    /// <summary>Gets 2 for the combined layout <c>[2, batch, heads, past, head_size]</c>, 1 for split key/value tensors.</summary>
    public int Planes { get; private init; }

    public int Heads { get; private init; }

    public int HeadSize { get; private init; }

    public int VocabularySize { get; private init; }

    public int CacheElementSize => CacheType == TensorElementType.Float16 ? 2 : 4;

    public static DecoderBinding Resolve(GenAIConfig config, InferenceSession session, string configPath)
    {
        DecoderConfig decoder = config.Decoder;
        DecoderNames names = decoder.Names;
        string onnx = Path.GetFileName(session.ModelPath);
        var inputs = session.Inputs.Select((info, index) => (info, index)).ToDictionary(x => x.info.Name, x => x.index, StringComparer.Ordinal);
        var outputs = session.Outputs.Select((info, index) => (info, index)).ToDictionary(x => x.info.Name, x => x.index, StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);

        int Find(Dictionary<string, int> table, string? configured, string fallback, string key, bool required, string kind)
        {
            string name = configured ?? fallback;
            if (table.TryGetValue(name, out int index))
            {
                claimed.Add(name);
                return index;
            }

            if (configured is not null || required)
            {
                string list = string.Join(", ", table.Keys);
                string origin = configured is not null ? $"key '{key}' names {kind} '{name}'" : $"{kind} '{name}' (the default for key '{key}')";
                throw new ModelFormatException(configPath, $"{origin}, but {onnx} has no such {kind}; its {kind}s are: {list}.");
            }

            return -1;
        }

        bool combined = names.PastNames is not null;
        int layers = decoder.NumHiddenLayers;
        var past = new List<int>();
        var present = new List<int>();
        for (int layer = 0; layer < layers; layer++)
        {
            if (combined)
            {
                past.Add(Find(inputs, Format(names.PastNames!, layer), "", "model.decoder.inputs.past_names", true, "input"));
                present.Add(Find(outputs, Format(names.PresentNames!, layer), "", "model.decoder.outputs.present_names", true, "output"));
            }
            else
            {
                past.Add(Find(inputs, Format(names.PastKeyNames, layer), Format("past_key_values.%d.key", layer), "model.decoder.inputs.past_key_names", true, "input"));
                past.Add(Find(inputs, Format(names.PastValueNames, layer), Format("past_key_values.%d.value", layer), "model.decoder.inputs.past_value_names", true, "input"));
                present.Add(Find(outputs, Format(names.PresentKeyNames, layer), Format("present.%d.key", layer), "model.decoder.outputs.present_key_names", true, "output"));
                present.Add(Find(outputs, Format(names.PresentValueNames, layer), Format("present.%d.value", layer), "model.decoder.outputs.present_value_names", true, "output"));
            }
        }

        int inputIds = Find(inputs, names.InputIds, "input_ids", "model.decoder.inputs.input_ids", true, "input");
        int mask = Find(inputs, names.AttentionMask, "attention_mask", "model.decoder.inputs.attention_mask", false, "input");
        int positions = Find(inputs, names.PositionIds, "position_ids", "model.decoder.inputs.position_ids", false, "input");
        int logits = Find(outputs, names.Logits, "logits", "model.decoder.outputs.logits", true, "output");

        foreach (TensorInfo input in session.Inputs)
        {
            if (!claimed.Contains(input.Name))
            {
                throw new ModelFormatException(
                    session.ModelPath,
                    $"input '{input}' is not explained by {GenAIConfig.FileName} (PadKernel feeds input_ids, attention_mask, position_ids and " +
                    $"{layers} layers of KV cache); check the names under model.decoder.inputs and model.decoder.num_hidden_layers.");
            }
        }

        TensorElementType IntegerType(int index, string key)
        {
            if (index < 0)
            {
                return TensorElementType.Undefined;
            }

            TensorInfo info = session.Inputs[index];
            return info.ElementType is TensorElementType.Int32 or TensorElementType.Int64
                ? info.ElementType
                : throw new ModelFormatException(session.ModelPath, $"input '{info}' ({key}) must be int32 or int64.");
        }

        TensorElementType cacheType = session.Inputs[past[0]].ElementType;
        if (cacheType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new ModelFormatException(session.ModelPath, $"KV cache input '{session.Inputs[past[0]]}' must be float32 or float16.");
        }

        int expectedRank = combined ? 5 : 4;
        foreach (int index in past)
        {
            TensorInfo info = session.Inputs[index];
            if (info.ElementType != cacheType || info.Shape.Count != expectedRank)
            {
                throw new ModelFormatException(
                    session.ModelPath,
                    $"KV cache input '{info}' does not have the {(combined ? "combined [2, batch, heads, past, head_size]" : "split [batch, heads, past, head_size]")} " +
                    $"{cacheType} layout that {GenAIConfig.FileName} describes.");
            }

            CheckDim(info, expectedRank - 3, decoder.NumKeyValueHeads, "model.decoder.num_key_value_heads", configPath);
            CheckDim(info, expectedRank - 1, decoder.HeadSize, "model.decoder.head_size", configPath);
        }

        TensorInfo logitsInfo = session.Outputs[logits];
        if (logitsInfo.ElementType is not (TensorElementType.Float or TensorElementType.Float16) || logitsInfo.Shape.Count != 3)
        {
            throw new ModelFormatException(session.ModelPath, $"logits output '{logitsInfo}' must be float32 or float16 of shape [batch, sequence, vocabulary].");
        }

        long vocab = logitsInfo.Shape[2];
        if (vocab > 0 && vocab != config.VocabularySize)
        {
            throw new ModelFormatException(configPath, $"key 'model.vocab_size' is {config.VocabularySize}, but {onnx} produces {vocab} logits per position.");
        }

        return new DecoderBinding
        {
            InputIds = inputIds,
            AttentionMask = mask,
            PositionIds = positions,
            Past = [.. past],
            Present = [.. present],
            Logits = logits,
            InputIdsType = IntegerType(inputIds, "model.decoder.inputs.input_ids"),
            AttentionMaskType = IntegerType(mask, "model.decoder.inputs.attention_mask"),
            PositionIdsType = IntegerType(positions, "model.decoder.inputs.position_ids"),
            CacheType = cacheType,
            LogitsType = logitsInfo.ElementType,
            Planes = combined ? 2 : 1,
            Heads = decoder.NumKeyValueHeads,
            HeadSize = decoder.HeadSize,
            VocabularySize = config.VocabularySize,
        };
    }

    private static void CheckDim(TensorInfo info, int axis, int expected, string key, string configPath)
    {
        long actual = info.Shape[axis];
        if (actual > 0 && actual != expected)
        {
            throw new ModelFormatException(configPath, $"key '{key}' is {expected}, but input '{info}' has {actual} there.");
        }
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(template))]
    private static string? Format(string? template, int layer) =>
        template?.Replace("%d", layer.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
