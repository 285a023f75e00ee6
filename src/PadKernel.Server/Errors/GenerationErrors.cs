using Microsoft.AspNetCore.Http;
using PadKernel.Models;
using PadKernel.Preferences;

namespace PadKernel.Server.Errors;

/// <summary>Maps what a chat client throws to the error the client sees.</summary>
internal static class GenerationErrors
{
    /// <summary>Returns the API error for <paramref name="exception"/>, or null when it is a server fault (500).</summary>
    public static ApiException? ToApiError(Exception exception) => exception switch
    {
        ApiException api => api,
        ContextLengthExceededException context => ApiException.InvalidRequest(
            $"This model's context length is {context.ContextLength} tokens but the request needs {context.RequestedLength}; shorten the messages or lower max_tokens.",
            "messages",
            "context_length_exceeded"),
        PreferenceStoreUnavailableException unavailable => ApiException.Unavailable(
            "The preference store is unavailable; try again shortly.", unavailable),
        ArgumentException argument => ApiException.InvalidRequest(StripParamSuffix(argument), ToParam(argument.ParamName), "invalid_value"),
        PadKernelException pad => ApiException.InvalidRequest(pad.Message, null),
        _ => null,
    };

    public static ApiException ServerFault() =>
        new(StatusCodes.Status500InternalServerError, ErrorTypes.Server, "The server failed to generate a response.", null, "server_error");

    /// <summary>Maps the connector's option keys (<c>pad_top_k</c>) to the request fields they came from (<c>pad.top_k</c>).</summary>
    private static string? ToParam(string? paramName) =>
        paramName is not null && paramName.StartsWith("pad_", StringComparison.Ordinal) ? "pad." + paramName[4..] : paramName;

    private static string StripParamSuffix(ArgumentException argument)
    {
        // ArgumentException appends " (Parameter 'x')"; the param travels in its own field.
        string message = argument.Message;
        int at = argument.ParamName is null ? -1 : message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
