using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PadKernel.Server.Generation;
using PadKernel.Server.Protocol;

namespace PadKernel.Server.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /health</c>.</summary>
internal sealed class InfoEndpoints(ServedModel servedModel, GenerationGate gate)
{
    public Task ModelsAsync(HttpContext context)
    {
        var body = new ModelListResponse { Data = [new ModelDto { Id = servedModel.Id, Created = servedModel.Created }] };
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ServerJsonContext.Wire.ModelListResponse, context.RequestAborted);
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
}
