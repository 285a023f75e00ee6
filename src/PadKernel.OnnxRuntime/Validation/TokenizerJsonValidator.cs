using System.Text.Json;

namespace PadKernel.OnnxRuntime.Validation;

/// <summary>
/// Checks a Hugging Face <c>tokenizer.json</c>: the model's vocabulary and merges, the added tokens, every token id
/// (non-negative, below the vocabulary bound) and every <c>Split</c> / <c>Replace</c> pattern.
/// </summary>
internal static class TokenizerJsonValidator
{
    private static readonly string[] ModelTypes = ["BPE", "WordPiece", "WordLevel", "Unigram"];

    private static readonly string[] SplitBehaviors = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"];

    /// <summary>Validates <paramref name="file"/>; <paramref name="configVocabularySize"/> is genai_config.json's model.vocab_size, if any.</summary>
    public static void Validate(JsonFile file, long? configVocabularySize)
    {
        JsonElement model = file.Object(file.Root, "model", "model");
        string type = file.Optional(model, "type") is JsonElement t ? file.String(t, "model.type") : "BPE";
        if (!ModelTypes.Contains(type, StringComparer.Ordinal))
        {
            throw file.Error("model.type", $"is \"{type}\"; expected one of {string.Join(", ", ModelTypes)}.");
        }

        JsonElement vocab = file.Optional(model, "vocab") ?? throw file.Error("model.vocab", "is missing.");
        HashSet<string> pieces = type == "Unigram"
            ? UnigramPieces(file, file.RequireKind(vocab, JsonValueKind.Array, "model.vocab"))
            : [.. file.RequireKind(vocab, JsonValueKind.Object, "model.vocab").EnumerateObject().Select(entry => entry.Name)];
        JsonElement? addedTokens = file.Optional(file.Root, "added_tokens");
        int tokens = pieces.Count + (addedTokens is JsonElement added ? AddedOutsideVocabulary(file, added, VocabularyIds(type, vocab)) : 0);

        // Ids are dense in published tokenizers: below the token count, or below the model's (padded) vocab_size.
        // Anything larger would make a reader size its tables by a number the file does not back.
        long limit = Math.Min(Math.Max(tokens, configVocabularySize ?? 0), GenAIFolderValidator.MaxVocabularySize);
        string bound = configVocabularySize is long v
            ? $"0..{limit - 1} (the file holds {tokens} tokens and genai_config.json's model.vocab_size is {v})"
            : $"0..{limit - 1} (the file holds {tokens} tokens)";

        if (type == "Unigram")
        {
            if (file.Optional(model, "unk_id") is JsonElement unk)
            {
                CheckId(file, unk, "model.unk_id", Math.Min(limit, vocab.GetArrayLength()), bound);
            }
        }
        else
        {
            foreach (JsonProperty entry in vocab.EnumerateObject())
            {
                CheckId(file, entry.Value, $"model.vocab[\"{Shorten(entry.Name)}\"]", limit, bound);
            }
        }

        if (type == "BPE" && file.Optional(model, "merges") is JsonElement merges)
        {
            string prefix = file.Optional(model, "continuing_subword_prefix") is JsonElement p ? file.String(p, "model.continuing_subword_prefix") : string.Empty;
            ValidateMerges(file, file.RequireKind(merges, JsonValueKind.Array, "model.merges"), pieces, prefix);
        }

        if (addedTokens is JsonElement list)
        {
            int i = 0;
            foreach (JsonElement token in list.EnumerateArray())
            {
                CheckId(file, token.GetProperty("id"), $"added_tokens[{i++}].id", limit, bound);
            }
        }

        foreach (string section in (string[])["normalizer", "pre_tokenizer", "decoder"])
        {
            if (file.Optional(file.Root, section) is JsonElement component)
            {
                ValidatePatterns(file, component, section);
            }
        }

        if (file.Optional(file.Root, "post_processor") is JsonElement post)
        {
            ValidatePostProcessorIds(file, post, "post_processor", limit, bound);
        }

        if (file.Optional(file.Root, "padding") is JsonElement padding && file.Optional(file.RequireKind(padding, JsonValueKind.Object, "padding"), "pad_id") is JsonElement padId)
        {
            CheckId(file, padId, "padding.pad_id", limit, bound);
        }
    }

    private static HashSet<long> VocabularyIds(string type, JsonElement vocab)
    {
        if (type == "Unigram")
        {
            return [.. Enumerable.Range(0, vocab.GetArrayLength()).Select(i => (long)i)];
        }

        var ids = new HashSet<long>();
        foreach (JsonProperty entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.Number && entry.Value.TryGetInt64(out long id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Checks each added token's shape; returns how many claim an id the vocabulary does not use (they extend the id range).</summary>
    private static int AddedOutsideVocabulary(JsonFile file, JsonElement added, HashSet<long> vocabularyIds)
    {
        int count = 0, i = 0;
        foreach (JsonElement token in file.RequireKind(added, JsonValueKind.Array, "added_tokens").EnumerateArray())
        {
            string key = $"added_tokens[{i++}]";
            file.RequireKind(token, JsonValueKind.Object, key);
            if (!token.TryGetProperty("id", out JsonElement id))
            {
                throw file.Error(key + ".id", "is missing.");
            }

            if (file.String(token.TryGetProperty("content", out JsonElement c) ? c : default, key + ".content").Length == 0)
            {
                throw file.Error(key + ".content", "is empty; an added token needs text.");
            }

            if (!(id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long value) && vocabularyIds.Contains(value)))
            {
                count++;
            }
        }

        return count;
    }

    private static HashSet<string> UnigramPieces(JsonFile file, JsonElement vocab)
    {
        var pieces = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement entry in vocab.EnumerateArray())
        {
            string key = $"model.vocab[{i++}]";
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2)
            {
                throw file.Error(key, $"must be a [piece, score] pair, found {JsonFile.Describe(entry)}.");
            }

            pieces.Add(file.String(entry[0], key + "[0]"));
            if (entry[1].ValueKind != JsonValueKind.Number || !double.IsFinite(entry[1].GetDouble()))
            {
                throw file.Error(key + "[1]", $"must be a finite score, found {JsonFile.Describe(entry[1])}.");
            }
        }

        return pieces;
    }

    /// <summary>Merges as "a b" strings or [a, b] pairs; as in Hugging Face's BPE, both parts and their merge must be pieces.</summary>
    private static void ValidateMerges(JsonFile file, JsonElement merges, HashSet<string> pieces, string prefix)
    {
        int i = 0;
        foreach (JsonElement merge in merges.EnumerateArray())
        {
            string key = $"model.merges[{i++}]";
            string left, right;
            if (merge.ValueKind == JsonValueKind.String)
            {
                string[] parts = file.String(merge, key).Split(' ');
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    throw file.Error(key, $"must be two pieces separated by one space, found {JsonFile.Describe(merge)}.");
                }

                (left, right) = (parts[0], parts[1]);
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                (left, right) = (file.String(merge[0], key + "[0]"), file.String(merge[1], key + "[1]"));
            }
            else
            {
                throw file.Error(key, $"must be \"a b\" or [\"a\", \"b\"], found {JsonFile.Describe(merge)}.");
            }

            string merged = left + (prefix.Length > 0 && right.StartsWith(prefix, StringComparison.Ordinal) ? right[prefix.Length..] : right);
            foreach (string piece in (string[])[left, right, merged])
            {
                if (!pieces.Contains(piece))
                {
                    throw file.Error(key, $"uses \"{Shorten(piece)}\", which is not in model.vocab.");
                }
            }
        }
    }

    /// <summary>Walks a normalizer, pre-tokenizer or decoder (Sequence ones included) and checks each Split and Replace.</summary>
    private static void ValidatePatterns(JsonFile file, JsonElement component, string key)
    {
        if (component.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement item in component.EnumerateArray())
            {
                ValidatePatterns(file, item, $"{key}[{i++}]");
            }

            return;
        }

        if (component.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        string? type = file.Optional(component, "type") is JsonElement t ? file.String(t, key + ".type") : null;
        if (type is "Split" or "Replace")
        {
            JsonElement pattern = file.Object(component, "pattern", key + ".pattern");
            CheckPattern(file, pattern, key + ".pattern");
            if (type == "Replace")
            {
                file.String(component.TryGetProperty("content", out JsonElement content) ? content : default, key + ".content");
            }
            else if (file.Optional(component, "behavior") is JsonElement behavior && !SplitBehaviors.Contains(file.String(behavior, key + ".behavior"), StringComparer.Ordinal))
            {
                throw file.Error(key + ".behavior", $"is \"{behavior.GetString()}\"; expected one of {string.Join(", ", SplitBehaviors)}.");
            }
        }

        foreach (JsonProperty property in component.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && property.Name != "pattern")
            {
                ValidatePatterns(file, property.Value, $"{key}.{property.Name}");
            }
        }
    }

    private static void CheckPattern(JsonFile file, JsonElement pattern, string key)
    {
        if (pattern.TryGetProperty("String", out JsonElement literal))
        {
            if (file.String(literal, key + ".String").Length == 0)
            {
                throw file.Error(key + ".String", "is empty; a Split or Replace needs text to look for.");
            }
        }
        else if (pattern.TryGetProperty("Regex", out JsonElement regex))
        {
            string text = file.String(regex, key + ".Regex");
            if (!KnownPatterns.All.ContainsKey(text))
            {
                throw file.Error(key + ".Regex", $"\"{Shorten(text)}\" is not a known tokenizer pattern. GenAI's native tokenizer runs such patterns with no time limit, so only the published patterns of well-known tokenizers (GPT-2, Llama 3, Qwen2, GPT-4, GPT-4o...) are accepted; see docs/onnxruntime.md, \"Validation\".");
            }
        }
        else
        {
            throw file.Error(key, "must hold \"String\" or \"Regex\".");
        }
    }

    /// <summary>Token ids in the post-processor: TemplateProcessing's special_tokens.*.ids and Bert/Roberta's [text, id] pairs.</summary>
    private static void ValidatePostProcessorIds(JsonFile file, JsonElement element, string key, long limit, string bound)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                ValidatePostProcessorIds(file, item, $"{key}[{i++}]", limit, bound);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                string child = $"{key}.{property.Name}";
                if (property.Name == "ids" && property.Value.ValueKind == JsonValueKind.Array)
                {
                    int i = 0;
                    foreach (JsonElement id in property.Value.EnumerateArray())
                    {
                        CheckId(file, id, $"{child}[{i++}]", limit, bound);
                    }
                }
                else if (property.Name is "sep" or "cls" && property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() == 2)
                {
                    CheckId(file, property.Value[1], child + "[1]", limit, bound);
                }
                else
                {
                    ValidatePostProcessorIds(file, property.Value, child, limit, bound);
                }
            }
        }
    }

    private static void CheckId(JsonFile file, JsonElement id, string key, long limit, string bound)
    {
        if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out long value))
        {
            throw file.Error(key, $"must be an integer token id, found {JsonFile.Describe(id)}.");
        }

        if (value < 0 || value >= limit)
        {
            throw file.Error(key, $"is the token id {value}; ids must lie in {bound}.");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
