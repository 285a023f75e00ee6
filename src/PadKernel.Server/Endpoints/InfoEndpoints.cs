using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PadKernel.Server.Errors;
using PadKernel.Server.Generation;
using PadKernel.Server.Protocol;

namespace PadKernel.Server.Endpoints;

/// <summary><c>GET /v1/models</c>, <c>GET /v1/models/{id}</c> and <c>GET /health</c>.</summary>
internal sealed class InfoEndpoints(ServedModel servedModel, GenerationGate gate)
{
    public Task ModelsAsync(HttpContext context)
    {
        var body = new ModelListResponse { Data = [ServedModelDto()] };
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ServerJsonContext.Wire.ModelListResponse, context.RequestAborted);
    }

    /// <summary><c>GET /v1/models/{id}</c> (the SDKs' <c>models.retrieve</c>): the served model, or 404 for any other id.</summary>
    public Task ModelAsync(HttpContext context, string id)
    {
        if (!string.Equals(id, servedModel.Id, StringComparison.Ordinal))
        {
            throw ApiException.NotFound($"The model '{id}' does not exist; this server serves '{servedModel.Id}'.", "model", "model_not_found");
        }

        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, ServedModelDto(), ServerJsonContext.Wire.ModelDto, context.RequestAborted);
    }

    public Task HealthAsync(HttpContext context)
    {
        var body = new HealthResponse
        {
            Status = gate.IsStopping ? "stopping" : "ok",
            Model = servedModel.Id,
            ActiveGenerations = gate.Active,
            QueuedGenerations = gate.Queued,
            CompletedGenerations = gate.Completed,
            CancelledGenerations = gate.Cancelled,
            RejectedGenerations = gate.Rejected,
        };
        context.Response.StatusCode = gate.IsStopping ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ServerJsonContext.Wire.HealthResponse, context.RequestAborted);
    }

    private ModelDto ServedModelDto() => new() { Id = servedModel.Id, Created = servedModel.Created };
}
