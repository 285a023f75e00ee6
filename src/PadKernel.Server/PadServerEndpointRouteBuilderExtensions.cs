using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PadKernel.Server.Authentication;
using PadKernel.Server.Endpoints;
using PadKernel.Server.Errors;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OpenAI-compatible PadKernel endpoints.</summary>
public static partial class PadServerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /v1/chat/completions</c>, <c>GET /v1/models</c>, <c>GET /v1/models/{id}</c>, <c>GET/PUT/DELETE /v1/users/{id}/preferences</c>
    /// (API key required) and <c>GET /health</c> (open). Services come from <c>AddPadServer</c>.
    /// </summary>
    /// <returns>The <c>/v1</c> group, for further conventions.</returns>
    public static RouteGroupBuilder MapPadServer(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/health", Api((c, s) => s.GetRequiredService<InfoEndpoints>().HealthAsync(c)));

        RouteGroupBuilder v1 = endpoints.MapGroup("/v1");
        v1.RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName });
        v1.MapPost("/chat/completions", Api((c, s) => s.GetRequiredService<ChatCompletionsEndpoint>().HandleAsync(c)));
        v1.MapGet("/models", Api((c, s) => s.GetRequiredService<InfoEndpoints>().ModelsAsync(c)));

        // A catch-all, so ids with a slash (org/model) reach the endpoint and get its 404 rather than the fallback's.
        v1.MapGet("/models/{**id}", Api((c, s) => s.GetRequiredService<InfoEndpoints>().ModelAsync(c, c.Request.RouteValues["id"] as string ?? "")));
        v1.MapGet("/users/{id}/preferences", Api((c, s) => s.GetRequiredService<PreferencesEndpoints>().GetAsync(c, UserId(c))));
        v1.MapPut("/users/{id}/preferences", Api((c, s) => s.GetRequiredService<PreferencesEndpoints>().PutAsync(c, UserId(c))));
        v1.MapDelete("/users/{id}/preferences", Api((c, s) => s.GetRequiredService<PreferencesEndpoints>().DeleteAsync(c, UserId(c))));
        v1.MapFallback(Api((c, _) => throw ApiException.NotFound($"Unknown endpoint {c.Request.Method} {c.Request.Path}.", null, "unknown_url")));
        return v1;
    }

    private static string UserId(HttpContext context) => context.Request.RouteValues["id"] as string ?? "";

    /// <summary>Runs a handler and answers every failure with OpenAI's error JSON.</summary>
    private static RequestDelegate Api(Func<HttpContext, IServiceProvider, Task> handler) => async context =>
    {
        try
        {
            await handler(context, context.RequestServices).ConfigureAwait(false);
        }
        catch (ApiException ex) when (!context.Response.HasStarted)
        {
            await ErrorWriter.WriteAsync(context, ex).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted && ex.StatusCode is >= 400 and < 500)
        {
            // Kestrel's own refusals while the body is read (malformed chunking, a body cut short, a read timeout).
            await ErrorWriter.WriteAsync(context, new ApiException(ex.StatusCode, ErrorTypes.InvalidRequest, ex.Message, null, "bad_request")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone; there is no one to answer.
        }
        catch (Exception ex) when (ex is not ApiException && !context.Response.HasStarted)
        {
            // One mapping for every endpoint (bad input → 4xx, a store that is down → 503); anything it does not know is a
            // fault of the server, logged here with its stack trace, and the client gets only a fixed line.
            ApiException? mapped = GenerationErrors.ToApiError(ex);
            if (mapped is null || mapped.StatusCode >= 500)
            {
                LogUnhandled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PadKernel.Server"), ex);
            }

            await ErrorWriter.WriteAsync(context, mapped ?? new ApiException(StatusCodes.Status500InternalServerError, ErrorTypes.Server, "The server had an error while processing the request.", null, "server_error")).ConfigureAwait(false);
        }
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "A PadKernel server endpoint failed.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
