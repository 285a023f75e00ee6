using Microsoft.Extensions.AI;
using PadKernel.Alignment;

namespace PadKernel.Extensions.AI;

/// <summary>One request as <see cref="PadChatClient"/> runs it: the decode request, what telemetry reports, and the ids its updates share.</summary>
internal sealed class PadDecodePlan(DecodeRequest request, PadRequestSummary summary, string modelId)
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly DateTimeOffset _createdAt = DateTimeOffset.UtcNow;

    public DecodeRequest Request { get; } = request;

    public PadRequestSummary Summary { get; } = summary;

    public UsageDetails Usage(int outputTokens) => new()
    {
        InputTokenCount = Request.Context.Count,
        OutputTokenCount = outputTokens,
        TotalTokenCount = Request.Context.Count + outputTokens,
    };

    public ChatResponseUpdate Update(IList<AIContent> contents, ChatFinishReason? finish) => new(ChatRole.Assistant, contents)
    {
        ResponseId = "padresp-" + _id,
        MessageId = "padmsg-" + _id,
        CreatedAt = _createdAt,
        ModelId = modelId,
        FinishReason = finish,
    };
}
