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
[JsonSerializable(typeof(PreferenceListResponse))]
[JsonSerializable(typeof(PreferencesDeletedResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
