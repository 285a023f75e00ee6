using System.Text.Json;
using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Validation;

/// <summary>
/// Checks an ONNX Runtime GenAI model folder before any native code reads it: <c>genai_config.json</c>,
/// <c>tokenizer.json</c> and <c>tokenizer_config.json</c> are read as regular files under a size cap with bounded
/// JSON nesting; every file they name must resolve inside the folder; token ids must lie within the vocabulary; and
/// tokenizer regular expressions must be known, vetted patterns. GenAI's native parsers and tokenizer trust these
/// files, and a native crash or hang cannot be caught, so every such input is refused here with a
/// <see cref="ModelFormatException"/> that names the file and the key. See docs/onnxruntime.md, "Validation".
/// </summary>
public static class GenAIFolderValidator
{
    /// <summary>The largest <c>genai_config.json</c> accepted (1 MiB; published ones are about 2 KB).</summary>
    public const long MaxConfigBytes = 1L << 20;

    /// <summary>The largest <c>tokenizer.json</c> accepted (64 MiB; Gemma 3's, among the largest, is 33 MB).</summary>
    public const long MaxTokenizerBytes = 64L << 20;

    /// <summary>The largest <c>tokenizer_config.json</c> accepted (16 MiB; chat templates make some a few hundred KB).</summary>
    public const long MaxTokenizerConfigBytes = 16L << 20;

    /// <summary>The largest vocabulary or token id bound accepted (2^24; published vocabularies stay under 2^18).</summary>
    public const int MaxVocabularySize = 1 << 24;

    /// <summary>The largest context length accepted (2^24 tokens).</summary>
    public const int MaxContextLength = 1 << 24;

    private const string ConfigName = "genai_config.json";
    private const string TokenizerName = "tokenizer.json";
    private const string TokenizerConfigName = "tokenizer_config.json";

    // Token ids genai_config.json may carry under "model"; pad_token_id may be -1 ("none").
    private static readonly string[] TokenIdKeys = ["bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id", "sep_token_id"];

    private static readonly string[] DecoderSizeKeys = ["head_size", "hidden_size", "num_attention_heads", "num_key_value_heads", "num_hidden_layers"];

    /// <summary>Validates the model folder <paramref name="folder"/>; returns when it is safe to hand to GenAI.</summary>
    /// <param name="folder">The folder holding <c>genai_config.json</c>.</param>
    /// <exception cref="ModelFormatException">A file is missing, oversized, not a regular file, malformed, or names something it must not.</exception>
    public static void Validate(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelFormatException(folder, "The model folder does not exist.");
        }

        string realFolder;
        try
        {
            realFolder = FolderPaths.RealPath(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ModelFormatException(folder, $"The model folder cannot be resolved: {e.Message}", e);
        }

        long? vocabularySize;
        using (JsonFile config = JsonFile.Read(FixedFile(folder, realFolder, ConfigName, required: true)!, MaxConfigBytes, ConfigName))
        {
            vocabularySize = ValidateConfig(config, folder, realFolder);
        }

        if (FixedFile(folder, realFolder, TokenizerName, required: false) is string tokenizerPath)
        {
            using JsonFile tokenizer = JsonFile.Read(tokenizerPath, MaxTokenizerBytes, TokenizerName);
            TokenizerJsonValidator.Validate(tokenizer, vocabularySize);
        }

        if (FixedFile(folder, realFolder, TokenizerConfigName, required: false) is string tokenizerConfigPath)
        {
            using JsonFile tokenizerConfig = JsonFile.Read(tokenizerConfigPath, MaxTokenizerConfigBytes, TokenizerConfigName);
            ValidateTokenizerConfig(tokenizerConfig);
        }
    }

    private static long? ValidateConfig(JsonFile file, string folder, string realFolder)
    {
        JsonElement model = file.Object(file.Root, "model", "model");
        long? vocabularySize = file.Optional(model, "vocab_size") is JsonElement vocab ? file.Integer(vocab, "model.vocab_size", 1, MaxVocabularySize) : null;
        if (file.Optional(model, "context_length") is JsonElement context)
        {
            file.Integer(context, "model.context_length", 1, MaxContextLength);
        }

        if (file.Optional(model, "type") is JsonElement type)
        {
            file.String(type, "model.type");
        }

        long idLimit = (vocabularySize ?? MaxVocabularySize) - 1;
        foreach (string name in TokenIdKeys)
        {
            if (file.Optional(model, name) is not JsonElement id)
            {
                continue;
            }

            long min = name == "pad_token_id" ? -1 : 0;
            if (id.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement item in id.EnumerateArray())
                {
                    file.Integer(item, $"model.{name}[{i++}]", min, idLimit);
                }
            }
            else
            {
                file.Integer(id, $"model.{name}", min, idLimit);
            }
        }

        JsonElement decoder = file.Object(model, "decoder", "model.decoder");
        file.String(file.Optional(decoder, "filename") ?? throw file.Error("model.decoder.filename", "is missing; expected the decoder's .onnx file name."), "model.decoder.filename");
        foreach (string name in DecoderSizeKeys)
        {
            if (file.Optional(decoder, name) is JsonElement size)
            {
                file.Integer(size, $"model.decoder.{name}", 1, MaxVocabularySize);
            }
        }

        if (file.Optional(file.Root, "search") is JsonElement search)
        {
            ValidateSearch(file, file.RequireKind(search, JsonValueKind.Object, "search"));
        }

        // Every file the configuration names (decoder, embedding, vision, pipeline stages...) sits under a key ending in "filename".
        CheckFileNames(file, file.Root, string.Empty, folder, realFolder);
        return vocabularySize;
    }

    private static void ValidateSearch(JsonFile file, JsonElement search)
    {
        foreach (JsonProperty property in search.EnumerateObject())
        {
            string key = "search." + property.Name;
            switch (property.Name)
            {
                case "max_length":
                case "num_beams":
                case "num_return_sequences":
                    file.Integer(property.Value, key, 1, MaxContextLength);
                    break;
                case "min_length":
                case "top_k":
                case "no_repeat_ngram_size":
                    file.Integer(property.Value, key, 0, MaxContextLength);
                    break;
                case "do_sample":
                case "early_stopping":
                case "past_present_share_buffer":
                    file.Boolean(property.Value, key);
                    break;
                case "temperature":
                case "top_p":
                case "repetition_penalty":
                case "length_penalty":
                case "diversity_penalty":
                    if (property.Value.ValueKind != JsonValueKind.Number || !double.IsFinite(property.Value.GetDouble()))
                    {
                        throw file.Error(key, $"must be a finite number, found {JsonFile.Describe(property.Value)}.");
                    }

                    break;
            }
        }
    }

    private static void CheckFileNames(JsonFile file, JsonElement element, string key, string folder, string realFolder)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                string child = key.Length == 0 ? property.Name : $"{key}.{property.Name}";
                if (property.Name.EndsWith("filename", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
                {
                    CheckReference(file, child, file.String(property.Value, child), folder, realFolder);
                }
                else
                {
                    CheckFileNames(file, property.Value, child, folder, realFolder);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                CheckFileNames(file, item, $"{key}[{i++}]", folder, realFolder);
            }
        }
    }

    /// <summary>A file named by a configuration value: relative, without "..", resolving (links followed) to a regular file inside the folder.</summary>
    private static void CheckReference(JsonFile file, string key, string name, string folder, string realFolder)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            throw file.Error(key, "must name a file inside the model folder.");
        }

        if (Path.IsPathRooted(name) || Path.IsPathFullyQualified(name))
        {
            throw file.Error(key, $"is the absolute path \"{name}\"; name files relative to the model folder.");
        }

        if (name.Split('/', '\\').Contains(".."))
        {
            throw file.Error(key, $"\"{name}\" climbs out of the model folder with \"..\"; name files inside it.");
        }

        string path = Path.Combine(folder, name);
        CheckInside(path, realFolder, message => file.Error(key, $"\"{name}\" {message}"));
        try
        {
            ModelFile.CheckRegularFile(path, long.MaxValue, "model");
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException(file.Path, $"{key}: \"{name}\": {e.Message}", e);
        }
    }

    /// <summary>The path of a fixed file of the folder, checked to resolve inside it; null when it is absent and optional.</summary>
    private static string? FixedFile(string folder, string realFolder, string name, bool required)
    {
        string path = Path.Combine(folder, name);
        bool present = File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
        if (!present)
        {
            return required ? throw new ModelFormatException(path, $"The model folder has no {name}.") : null;
        }

        CheckInside(path, realFolder, message => new ModelFormatException(path, message));
        return path;
    }

    private static void CheckInside(string path, string realFolder, Func<string, ModelFormatException> error)
    {
        string real;
        try
        {
            real = FolderPaths.RealPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw error($"cannot be resolved: {e.Message}");
        }

        if (!FolderPaths.IsInside(real, realFolder))
        {
            throw error($"resolves to {real}, outside the model folder {realFolder} (through a symbolic link); keep model files inside the folder.");
        }
    }

    private static void ValidateTokenizerConfig(JsonFile file)
    {
        if (file.Optional(file.Root, "added_tokens_decoder") is JsonElement decoder)
        {
            file.RequireKind(decoder, JsonValueKind.Object, "added_tokens_decoder");
            foreach (JsonProperty token in decoder.EnumerateObject())
            {
                string key = $"added_tokens_decoder[\"{token.Name}\"]";
                if (!int.TryParse(token.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id) || id >= MaxVocabularySize)
                {
                    throw file.Error(key, $"the key must be a token id in 0..{MaxVocabularySize - 1}.");
                }

                JsonElement content = file.Object(decoder, token.Name, key);
                if (file.Optional(content, "content") is JsonElement text && file.String(text, key + ".content").Length == 0)
                {
                    throw file.Error(key + ".content", "is empty; a special token needs text.");
                }
            }
        }

        foreach (string name in (string[])["bos_token", "eos_token", "unk_token", "pad_token", "chat_template"])
        {
            // Either a string or an AddedToken object ({"content": ...}); chat_template may also be a list of named templates.
            if (file.Optional(file.Root, name) is JsonElement value && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array))
            {
                throw file.Error(name, $"must be a string or an object, found {JsonFile.Describe(value)}.");
            }
        }
    }
}
