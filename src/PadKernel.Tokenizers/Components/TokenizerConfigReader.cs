using System.Text.Json;
using PadKernel.Models;

namespace PadKernel.Tokenizers.Components;

/// <summary>What <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> say (both optional).</summary>
internal sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? UnkToken,
    string? PadToken,
    bool? AddBosToken,
    bool? AddEosToken,
    string? ChatTemplate,
    string? TokenizerClass)
{
    public static readonly TokenizerConfig Empty = new(null, null, null, null, null, null, null, null);

    /// <summary>Reads the files in <paramref name="folder"/>; <c>tokenizer_config.json</c> wins over the map.</summary>
    public static TokenizerConfig Read(string folder)
    {
        TokenizerConfig config = Empty;
        string mapPath = Path.Combine(folder, "special_tokens_map.json");
        if (File.Exists(mapPath))
        {
            config = Merge(ReadFile(mapPath), config);
        }

        string configPath = Path.Combine(folder, "tokenizer_config.json");
        if (File.Exists(configPath))
        {
            config = Merge(ReadFile(configPath), config);
        }

        return config;
    }

    private static TokenizerConfig Merge(TokenizerConfig preferred, TokenizerConfig fallback) => new(
        preferred.BosToken ?? fallback.BosToken,
        preferred.EosToken ?? fallback.EosToken,
        preferred.UnkToken ?? fallback.UnkToken,
        preferred.PadToken ?? fallback.PadToken,
        preferred.AddBosToken ?? fallback.AddBosToken,
        preferred.AddEosToken ?? fallback.AddEosToken,
        preferred.ChatTemplate ?? fallback.ChatTemplate,
        preferred.TokenizerClass ?? fallback.TokenizerClass);

    private const long MaxBytes = 16L << 20;

    private static TokenizerConfig ReadFile(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(ModelFile.ReadAllBytes(path, MaxBytes, Path.GetFileName(path)), new JsonDocumentOptions { MaxDepth = 64 });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(path, "the top level is not a JSON object");
            }

            return new TokenizerConfig(
                Token(root, "bos_token"),
                Token(root, "eos_token"),
                Token(root, "unk_token"),
                Token(root, "pad_token"),
                Bool(root, "add_bos_token"),
                Bool(root, "add_eos_token"),
                ChatTemplateOf(root),
                root.TryGetProperty("tokenizer_class", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(path, $"not valid JSON ({ex.Message})", ex);
        }
        catch (IOException ex)
        {
            throw new ModelFormatException(path, $"cannot be read ({ex.Message})", ex);
        }
    }

    // A special token is written either as its text or as an AddedToken object { "content": ... }.
    private static string? Token(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out JsonElement content) && content.ValueKind == JsonValueKind.String => content.GetString(),
            _ => null,
        } : null;

    private static bool? Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    // chat_template is a string, or a list of { name, template } where "default" is the one to use.
    private static string? ChatTemplateOf(JsonElement root)
    {
        if (!root.TryGetProperty("chat_template", out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? first = null;
        foreach (JsonElement entry in value.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("template", out JsonElement template) || template.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            first ??= template.GetString();
            if (entry.TryGetProperty("name", out JsonElement name) && name.GetString() == "default")
            {
                return template.GetString();
            }
        }

        return first;
    }
}
