using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace PadKernel.Server.Protocol;

/// <summary>
/// Writes server-sent events the way OpenAI streams chat completions: <c>data: JSON\n\n</c> per event, flushed at
/// once, and <c>data: [DONE]\n\n</c> at the end. JSON goes straight into the response pipe.
/// </summary>
internal sealed class ServerSentEventWriter : IDisposable
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    private ServerSentEventWriter(PipeWriter pipe)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Sends the 200 headers of an event stream and returns a writer for its events.</summary>
    public static async Task<ServerSentEventWriter> StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ServerSentEventWriter(response.BodyWriter);
    }

    public ValueTask<FlushResult> WriteAsync(object value, JsonTypeInfo typeInfo, CancellationToken cancellationToken)
    {
        _pipe.Write(DataPrefix);
        _json.Reset(_pipe);
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        _pipe.Write(EventEnd);
        return _pipe.FlushAsync(cancellationToken);
    }

    public ValueTask<FlushResult> WriteDoneAsync(CancellationToken cancellationToken)
    {
        _pipe.Write(Done);
        return _pipe.FlushAsync(cancellationToken);
    }

    public void Dispose() => _json.Dispose();
}
