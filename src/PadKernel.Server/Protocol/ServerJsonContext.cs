using System.Text.Json.Serialization;

namespace PadKernel.Server.Protocol;

/// <summary>Source-generated serialization of every request and response body (snake_case, nulls omitted unless a property says otherwise).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(PreferencesPutRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ChatCompletionChunkWithUsage))]
[JsonSerializable(typeof(ModelListResponse))]
[JsonSerializable(typeof(ModelDto))]
[JsonSerializable(typeof(PreferenceListResponse))]
[JsonSerializable(typeof(PreferencesDeletedResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class ServerJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Gets the context the server writes with: as <see cref="Default"/>, but without escaping ', &lt;, &gt;, &amp; and
    /// non-ASCII text (the bodies are JSON and event streams, never HTML), so answers read as OpenAI's do.
    /// </summary>
    public static ServerJsonContext Wire => WireHolder.Instance;

    // A holder class, so Wire is built after Default (static initializers across partial files have no set order).
    private static class WireHolder
    {
        internal static readonly ServerJsonContext Instance = new(new System.Text.Json.JsonSerializerOptions(Default.Options)
        {
            TypeInfoResolver = null,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }
}
