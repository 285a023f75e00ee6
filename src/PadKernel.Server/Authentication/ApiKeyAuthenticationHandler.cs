using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PadKernel.Server.Errors;

namespace PadKernel.Server.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer KEY</c> against the configured keys, and answers challenges (401) and
/// forbidden requests (403) with OpenAI's error JSON.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PadApiKey";

    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(keys.Anonymous is ApiCaller anonymous
                ? Success(anonymous)
                : AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer YOUR_API_KEY'."));
        }

        string key = header[BearerPrefix.Length..].Trim();
        return Task.FromResult(keys.TryFind(key, out ApiCaller caller)
            ? Success(caller)
            : AuthenticateResult.Fail("Incorrect API key provided."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        ApiException error = result.Failure is null
            ? new ApiException(StatusCodes.Status401Unauthorized, ErrorTypes.InvalidRequest, "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_API_KEY'.", null, "missing_api_key")
            : new ApiException(StatusCodes.Status401Unauthorized, ErrorTypes.InvalidRequest, result.Failure.Message, null, "invalid_api_key");
        await ErrorWriter.WriteAsync(Context, error).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorWriter.WriteAsync(Context, ApiException.Forbidden("This API key is not allowed to do this."));

    private AuthenticateResult Success(ApiCaller caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
}
