using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PadKernel.Server.Protocol;

namespace PadKernel.Server.Errors;

/// <summary>Writes OpenAI's error JSON.</summary>
internal static class ErrorWriter
{
    public static ErrorResponse ToBody(ApiException error) => new()
    {
        Error = new ErrorDto { Message = error.Message, Type = error.Type, Param = error.Param, Code = error.Code },
    };

    /// <summary>Answers the request with <paramref name="error"/>'s status and body (the response must not have started).</summary>
    public static Task WriteAsync(HttpContext context, ApiException error)
    {
        HttpResponse response = context.Response;
        response.StatusCode = error.StatusCode;
        if (error.RetryAfterSeconds is int seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (error.StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(response.Body, ToBody(error), ServerJsonContext.Wire.ErrorResponse, context.RequestAborted);
    }
}
