using System.Text.Json.Serialization;

namespace PadKernel.Server.Protocol;

/// <summary>A non-streaming answer: <c>object = "chat.completion"</c>.</summary>
internal sealed class ChatCompletionResponse
{
    public required string Id { get; init; }

    public string Object => "chat.completion";

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required List<ChatChoiceDto> Choices { get; init; }

    public UsageDto? Usage { get; init; }
}

/// <summary>One choice of a non-streaming answer.</summary>
internal sealed class ChatChoiceDto
{
    public int Index { get; init; }

    public required ResponseMessageDto Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Logprobs => null;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}

/// <summary>The assistant's message.</summary>
internal sealed class ResponseMessageDto
{
    public string Role => "assistant";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Refusal => null;
}

/// <summary>Token counts.</summary>
internal sealed class UsageDto
{
    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    public int TotalTokens { get; init; }
}
