using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PadKernel.Server.Errors;

namespace PadKernel.Server.Protocol;

/// <summary>Reads a JSON request body under the size limit and turns every failure into a 400/413 that names the field.</summary>
internal static partial class RequestBodyReader
{
    /// <summary>How much of an over-long body is read and discarded so the client, still sending, receives the 413 (TCP resets otherwise).</summary>
    private const long DrainBytes = 4 * 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        // The exact limit is enforced below; Kestrel's own limit is the hard cap on what is read at all, draining included.
        IHttpMaxRequestBodySizeFeature? size = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (size is { IsReadOnly: false })
        {
            size.MaxRequestBodySize = maxBytes + DrainBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            await DrainAsync(request, cancellationToken).ConfigureAwait(false);
            throw ApiException.TooLarge(maxBytes);
        }

        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(new LimitedReadStream(request.Body, maxBytes), typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            await DrainAsync(request, cancellationToken).ConfigureAwait(false);
            throw ApiException.TooLarge(maxBytes);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiException.TooLarge(maxBytes);
        }
        catch (JsonException ex)
        {
            throw FromJsonException(ex);
        }

        return value ?? throw ApiException.InvalidRequest("The request body must be a JSON object.", null);
    }

    private static async Task DrainAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > DrainBytes)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await request.Body.CopyToAsync(Stream.Null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // Past the hard cap, too slow, or gone: answer anyway.
        }
    }

    /// <summary>Maps a deserialization failure to a 400 whose <c>param</c> is the JSON path of the bad field.</summary>
    internal static ApiException FromJsonException(JsonException ex)
    {
        string? param = ToParam(ex.Path);
        ProtocolJsonException? shape = ex as ProtocolJsonException ?? ex.InnerException as ProtocolJsonException;
        if (shape is not null)
        {
            return ApiException.InvalidRequest($"Invalid value for '{param}': {shape.Detail}.", param);
        }

        Match unknown = UnmappedMember().Match(ex.Message);
        if (unknown.Success)
        {
            string name = unknown.Groups[1].Value;
            // The path may already end at the unknown member (it does for nested objects).
            string at = param is null ? name : param == name || param.EndsWith("." + name, StringComparison.Ordinal) ? param : $"{param}.{name}";
            return ApiException.InvalidRequest($"Unknown property '{at}'.", at);
        }

        if (ex.InnerException is InvalidOperationException or FormatException || ex.BytePositionInLine is null)
        {
            return ApiException.InvalidRequest(param is null ? "The request body has the wrong shape: expected a JSON object." : $"Invalid type or value for '{param}'.", param);
        }

        return ApiException.InvalidRequest(
            param is null
                ? $"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."
                : $"Invalid JSON or wrong type at '{param}' (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).",
            param);
    }

    /// <summary>Turns <c>$.messages[0].content</c> into <c>messages[0].content</c>; the root gives null.</summary>
    internal static string? ToParam(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    [GeneratedRegex("The JSON property '(.+?)' could not be mapped")]
    private static partial Regex UnmappedMember();
}
