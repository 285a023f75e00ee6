using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PadKernel.Server.Authentication;
using PadKernel.Server.Configuration;
using PadKernel.Server.Errors;
using PadKernel.Server.Generation;
using PadKernel.Server.Protocol;

namespace PadKernel.Server.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: one answer as JSON, or a stream of chunks as server-sent events.</summary>
internal sealed partial class ChatCompletionsEndpoint(
    ChatRequestTranslator translator,
    PromptTokenCounter counter,
    GenerationGate gate,
    IOptions<PadServerOptions> options,
    ILogger<ChatCompletionsEndpoint> logger)
{
    private readonly long _maxRequestBodyBytes = options.Value.Limits.MaxRequestBodyBytes;

    public async Task HandleAsync(HttpContext context)
    {
        ChatCompletionRequest request = await RequestBodyReader.ReadAsync(
            context.Request, ServerJsonContext.Wire.ChatCompletionRequest, _maxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        ChatCall call = translator.Translate(request, ApiCaller.FromPrincipal(context.User));

        // The chat client may be scoped (per user); the request scope's instance serves this request.
        IChatClient chatClient = context.RequestServices.GetRequiredService<IChatClient>();

        // A prompt whose length alone proves it too long is refused here, untokenized and without waiting for a slot.
        RenderedPrompt? prompt = Guard(() => counter.Precheck(chatClient, call.Messages));

        using GenerationSlot slot = await gate.EnterAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            // Tokenizing is work like generating: it runs inside the slot, so it is bounded and cancellable the same way.
            int? promptTokens = prompt is null ? null : Guard(() =>
            {
                slot.Refused = true;
                int tokens = counter.Count(prompt, slot.Token);
                slot.Refused = false;
                return tokens;
            });
            if (call.Stream)
            {
                await StreamAsync(context, chatClient, call, slot, promptTokens).ConfigureAwait(false);
            }
            else
            {
                await CompleteAsync(context, chatClient, call, slot).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (slot.Token.IsCancellationRequested)
        {
            slot.Cancelled = true;
            if (slot.RequestAborted.IsCancellationRequested)
            {
                LogClientGone(logger, context.TraceIdentifier);
                return;
            }

            // The drain time of a shutdown is over: tell the client, if it still can be told.
            if (!context.Response.HasStarted)
            {
                throw GenerationGate.ShuttingDown();
            }
        }
    }

    /// <summary>Runs a step before generation, mapping what it throws as a generation's failure would be.</summary>
    private T Guard<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Fail(ex);
        }
    }

    private async Task CompleteAsync(HttpContext context, IChatClient chatClient, ChatCall call, GenerationSlot slot)
    {
        ChatResponse response;
        try
        {
            response = await chatClient.GetResponseAsync(call.Messages, call.Options, slot.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Fail(ex);
        }

        var body = new ChatCompletionResponse
        {
            Id = ResponseIds.Create(response.ResponseId),
            Created = (response.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            Model = call.Model,
            Choices =
            [
                new ChatChoiceDto
                {
                    Message = new ResponseMessageDto { Content = response.Text },
                    FinishReason = FinishReasons.ToWire(response.FinishReason),
                },
            ],
            Usage = Usage(response.Usage),
        };

        context.Response.ContentType = "application/json";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, body, ServerJsonContext.Wire.ChatCompletionResponse, slot.Token).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpContext context, IChatClient chatClient, ChatCall call, GenerationSlot slot, int? promptTokens)
    {
        CancellationToken token = slot.Token;
        IAsyncEnumerator<ChatResponseUpdate> updates = chatClient.GetStreamingResponseAsync(call.Messages, call.Options, token).GetAsyncEnumerator(token);
        await using (updates.ConfigureAwait(false))
        {
            // The first update comes before any byte is sent, so a refused request still gets its HTTP status.
            bool any;
            try
            {
                any = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw Fail(ex);
            }

            string id = ResponseIds.Create(any ? updates.Current.ResponseId : null);
            long created = ((any ? updates.Current.CreatedAt : null) ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            ChatCompletionChunk chunk = call.IncludeUsage
                ? new ChatCompletionChunkWithUsage { Id = id, Created = created, Model = call.Model }
                : new ChatCompletionChunk { Id = id, Created = created, Model = call.Model };
            var choice = new ChunkChoiceDto();
            chunk.Choices = [choice];
            JsonTypeInfo typeInfo = call.IncludeUsage
                ? ServerJsonContext.Wire.ChatCompletionChunkWithUsage
                : ServerJsonContext.Wire.ChatCompletionChunk;

            using ServerSentEventWriter events = await ServerSentEventWriter.StartAsync(context.Response, token).ConfigureAwait(false);
            choice.Delta.Role = "assistant";
            choice.Delta.Content = "";
            await events.WriteAsync(chunk, typeInfo, token).ConfigureAwait(false);
            choice.Delta.Role = null;

            ChatFinishReason? finish = null;
            UsageDetails? usage = null;
            int completionTokens = 0;
            try
            {
                while (any)
                {
                    ChatResponseUpdate update = updates.Current;
                    finish = update.FinishReason ?? finish;
                    foreach (AIContent content in update.Contents)
                    {
                        if (content is UsageContent u)
                        {
                            usage = u.Details;
                        }
                    }

                    string text = update.Text;
                    if (text.Length > 0)
                    {
                        completionTokens++;
                        choice.Delta.Content = text;
                        await events.WriteAsync(chunk, typeInfo, token).ConfigureAwait(false);
                    }

                    any = await updates.MoveNextAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested && !slot.RequestAborted.IsCancellationRequested)
            {
                // A shutdown's drain time is over: the client is still there, so tell it why its stream ends early.
                slot.Cancelled = true;
                await events.WriteAsync(ErrorWriter.ToBody(GenerationGate.ShuttingDown()), ServerJsonContext.Wire.ErrorResponse, slot.RequestAborted).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Headers are gone: report the failure as an error event, as OpenAI does, and end the stream.
                ApiException error = Fail(ex);
                await events.WriteAsync(ErrorWriter.ToBody(error), ServerJsonContext.Wire.ErrorResponse, token).ConfigureAwait(false);
                return;
            }

            choice.Delta.Content = null;
            choice.FinishReason = FinishReasons.ToWire(finish);
            await events.WriteAsync(chunk, typeInfo, token).ConfigureAwait(false);

            if (chunk is ChatCompletionChunkWithUsage withUsage)
            {
                withUsage.Choices = [];
                withUsage.Usage = Usage(usage) ?? new UsageDto
                {
                    PromptTokens = promptTokens ?? 0,
                    CompletionTokens = completionTokens,
                    TotalTokens = (promptTokens ?? 0) + completionTokens,
                };
                await events.WriteAsync(chunk, typeInfo, token).ConfigureAwait(false);
            }

            await events.WriteDoneAsync(token).ConfigureAwait(false);
        }
    }

    private ApiException Fail(Exception ex)
    {
        if (GenerationErrors.ToApiError(ex) is ApiException error)
        {
            if (error.StatusCode >= 500)
            {
                LogGenerationFailed(logger, ex);
            }

            return error;
        }

        LogGenerationFailed(logger, ex);
        return GenerationErrors.ServerFault();
    }

    private static UsageDto? Usage(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }

        int prompt = (int)(usage.InputTokenCount ?? 0);
        int completion = (int)(usage.OutputTokenCount ?? 0);
        return new UsageDto
        {
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = (int)(usage.TotalTokenCount ?? prompt + completion),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {TraceId}: the client went away; its generation was cancelled.")]
    private static partial void LogClientGone(ILogger logger, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A generation failed.")]
    private static partial void LogGenerationFailed(ILogger logger, Exception exception);
}
