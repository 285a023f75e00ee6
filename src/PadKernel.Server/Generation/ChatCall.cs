using Microsoft.Extensions.AI;

namespace PadKernel.Server.Generation;

/// <summary>A validated chat-completions request, in Microsoft.Extensions.AI terms.</summary>
/// <param name="Messages">The conversation.</param>
/// <param name="Options">The generation options, PAD settings in <see cref="ChatOptions.AdditionalProperties"/>.</param>
/// <param name="Model">The model id to echo in the response.</param>
/// <param name="Stream">Whether to answer with server-sent events.</param>
/// <param name="IncludeUsage">Whether a streaming answer ends with a usage chunk.</param>
/// <param name="UserId">The user the generation runs as (whose stored preferences apply), if any.</param>
internal sealed record ChatCall(List<ChatMessage> Messages, ChatOptions Options, string Model, bool Stream, bool IncludeUsage, string? UserId);
