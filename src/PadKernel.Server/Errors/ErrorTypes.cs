namespace PadKernel.Server.Errors;

/// <summary>The <c>type</c> values of OpenAI's error object that this server uses.</summary>
internal static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Permission = "permission_error";
    public const string RateLimit = "rate_limit_error";
    public const string Server = "server_error";
}
