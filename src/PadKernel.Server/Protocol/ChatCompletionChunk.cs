using System.Text.Json.Serialization;

namespace PadKernel.Server.Protocol;

/// <summary>
/// One server-sent event of a streaming answer: <c>object = "chat.completion.chunk"</c>. The instance is reused for
/// every chunk of a stream; only <see cref="Choices"/> changes.
/// </summary>
internal class ChatCompletionChunk
{
    public required string Id { get; init; }

    public string Object => "chat.completion.chunk";

    public required long Created { get; init; }

    public required string Model { get; init; }

    public List<ChunkChoiceDto> Choices { get; set; } = [];
}

/// <summary>
/// The chunk shape when the client asked for <c>stream_options.include_usage</c>: every chunk carries
/// <c>"usage": null</c> and the last one, with no choices, carries the counts (as OpenAI does).
/// </summary>
internal sealed class ChatCompletionChunkWithUsage : ChatCompletionChunk
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public UsageDto? Usage { get; set; }
}

/// <summary>The single choice of a chunk.</summary>
internal sealed class ChunkChoiceDto
{
    public int Index { get; init; }

    public ChunkDeltaDto Delta { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Logprobs => null;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }
}

/// <summary>What a chunk adds to the message: the role in the first chunk, then text.</summary>
internal sealed class ChunkDeltaDto
{
    public string? Role { get; set; }

    public string? Content { get; set; }
}
