using Microsoft.AspNetCore.Http;

namespace PadKernel.Server.Errors;

/// <summary>
/// An error to answer with OpenAI's error JSON: <c>{"error":{"message","type","param","code"}}</c> and an HTTP status.
/// Endpoints throw it; <see cref="ErrorWriter"/> writes it.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(int statusCode, string type, string message, string? param = null, string? code = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Type = type;
        Param = param;
        Code = code;
    }

    public int StatusCode { get; }

    public string Type { get; }

    public string? Param { get; }

    public string? Code { get; }

    /// <summary>Gets the <c>Retry-After</c> seconds to send, if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException InvalidRequest(string message, string? param, string? code = null) =>
        new(StatusCodes.Status400BadRequest, ErrorTypes.InvalidRequest, message, param, code);

    public static ApiException Forbidden(string message, string? param = null) =>
        new(StatusCodes.Status403Forbidden, ErrorTypes.Permission, message, param, "forbidden");

    public static ApiException NotFound(string message, string? param, string code) =>
        new(StatusCodes.Status404NotFound, ErrorTypes.InvalidRequest, message, param, code);

    /// <summary>A dependency of the server (the preference database) is down: 503 with a short <c>Retry-After</c>; the cause goes to the log, not to the client.</summary>
    public static ApiException Unavailable(string message, Exception cause) =>
        new(StatusCodes.Status503ServiceUnavailable, ErrorTypes.Server, message, null, "service_unavailable", cause) { RetryAfterSeconds = 1 };

    public static ApiException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest, $"The request body is larger than the server's limit of {limit} bytes.", null, "request_too_large");
}
