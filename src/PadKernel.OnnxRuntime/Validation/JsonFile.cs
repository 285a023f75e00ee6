using System.Text.Json;
using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Validation;

/// <summary>
/// One JSON file of a model folder, read under a size cap and a nesting limit, with typed accessors whose errors name
/// the file and the key (<c>model.decoder.filename</c>, <c>added_tokens[3].id</c>) instead of System.Text.Json's.
/// </summary>
internal sealed class JsonFile : IDisposable
{
    /// <summary>The deepest nesting accepted; published configurations and tokenizers stay under 20.</summary>
    public const int MaxDepth = 64;

    private readonly JsonDocument _document;

    private JsonFile(string path, JsonDocument document)
    {
        Path = path;
        _document = document;
    }

    public string Path { get; }

    public JsonElement Root => _document.RootElement;

    /// <summary>Reads and parses <paramref name="path"/>; its root must be an object.</summary>
    public static JsonFile Read(string path, long maxBytes, string what)
    {
        byte[] data = ModelFile.ReadAllBytes(path, maxBytes, what);
        JsonDocument document;
        try
        {
            // Editors on Windows save a UTF-8 byte-order mark; the reader does not skip one itself.
            ReadOnlyMemory<byte> json = data.AsMemory();
            if (json.Span.StartsWith("\uFEFF"u8))
            {
                json = json[3..];
            }

            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            // The reader's message carries the line and byte position and, for too deep nesting, the limit.
            throw new ModelFormatException(path, $"The {what} is not valid JSON: {e.Message}", e);
        }

        var file = new JsonFile(path, document);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            file.Dispose();
            throw new ModelFormatException(path, $"The {what} must hold a JSON object, found {Describe(document.RootElement)}.");
        }

        return file;
    }

    public void Dispose() => _document.Dispose();

    /// <summary>An error about <paramref name="key"/> in this file.</summary>
    public ModelFormatException Error(string key, string message) => new(Path, $"{key}: {message}");

    public JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonElement Object(JsonElement parent, string name, string key) =>
        Optional(parent, name) is JsonElement value ? RequireKind(value, JsonValueKind.Object, key) : throw Error(key, "is missing; expected a JSON object.");

    public JsonElement RequireKind(JsonElement value, JsonValueKind kind, string key)
    {
        if (value.ValueKind != kind)
        {
            throw Error(key, $"must be {Article(kind)}, found {Describe(value)}.");
        }

        return value;
    }

    public string String(JsonElement value, string key)
    {
        RequireKind(value, JsonValueKind.String, key);
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // An escaped lone surrogate (\uD800) cannot become a .NET string.
            throw new ModelFormatException(Path, $"{key}: the string is not valid Unicode.", e);
        }
    }

    public bool Boolean(JsonElement value, string key) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(key, $"must be a boolean, found {Describe(value)}."),
    };

    /// <summary>An integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public long Integer(JsonElement value, string key, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            throw Error(key, $"must be an integer, found {Describe(value)}.");
        }

        if (number < min || number > max)
        {
            throw Error(key, $"is {number}; expected {min}..{max}.");
        }

        return number;
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(value.GetRawText().Trim('"'))}\"",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Undefined => "nothing (the key is missing)",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "a JSON object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "a number",
    };
}
