using System.Text.Json;
using System.Text.Json.Serialization;
using PadKernel.Extensions.AI;

namespace PadKernel.Server.Protocol;

/// <summary>The body of <c>POST /v1/chat/completions</c>: OpenAI's fields this server honours, plus the <c>pad</c> extension.</summary>
internal sealed class ChatCompletionRequest
{
    public List<ChatMessageDto>? Messages { get; set; }

    public string? Model { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public long? Seed { get; set; }

    [JsonConverter(typeof(StopSequencesConverter))]
    public List<string>? Stop { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    public string? User { get; set; }

    public int? N { get; set; }

    /// <summary>Gets or sets tool definitions; this server has no tool calling, so a non-empty list is rejected.</summary>
    public JsonElement? Tools { get; set; }

    public PadExtensionDto? Pad { get; set; }
}

/// <summary>One message of the conversation.</summary>
internal sealed class ChatMessageDto
{
    public string? Role { get; set; }

    /// <summary>Gets or sets the text: a string, or the text parts of an array of content parts joined.</summary>
    [JsonConverter(typeof(MessageContentConverter))]
    public string? Content { get; set; }

    public string? Name { get; set; }

    public JsonElement? ToolCalls { get; set; }
}

/// <summary><c>stream_options</c>.</summary>
internal sealed class StreamOptionsDto
{
    public bool? IncludeUsage { get; set; }
}

/// <summary>The <c>pad</c> extension object: per-request PAD preferences and settings.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PadExtensionDto
{
    [JsonConverter(typeof(PreferenceListConverter))]
    public List<PadPreference>? Preferences { get; set; }

    public float? Weight { get; set; }

    public int? TopK { get; set; }

    public string? Mode { get; set; }

    /// <summary>Gets or sets whether the user's stored preferences apply (default true).</summary>
    public bool? UseStored { get; set; }
}

/// <summary>The body of <c>PUT /v1/users/{id}/preferences</c>: the user's whole new list.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PreferencesPutRequest
{
    [JsonConverter(typeof(PreferenceListConverter))]
    public List<PadPreference>? Preferences { get; set; }
}
