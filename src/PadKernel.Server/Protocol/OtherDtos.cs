namespace PadKernel.Server.Protocol;

/// <summary><c>GET /v1/models</c>.</summary>
internal sealed class ModelListResponse
{
    public string Object => "list";

    public required List<ModelDto> Data { get; init; }
}

/// <summary>One model.</summary>
internal sealed class ModelDto
{
    public required string Id { get; init; }

    public string Object => "model";

    public required long Created { get; init; }

    public string OwnedBy => "padkernel";
}

/// <summary><c>GET</c>/<c>PUT /v1/users/{id}/preferences</c>.</summary>
internal sealed class PreferenceListResponse
{
    public string Object => "list";

    public required string User { get; init; }

    public required List<PreferenceDto> Data { get; init; }
}

/// <summary>One stored preference.</summary>
internal sealed class PreferenceDto
{
    public required string Id { get; init; }

    public string Object => "preference";

    public required string Text { get; init; }

    public required float Weight { get; init; }

    public required long CreatedAt { get; init; }

    public required long UpdatedAt { get; init; }
}

/// <summary><c>DELETE /v1/users/{id}/preferences</c>.</summary>
internal sealed class PreferencesDeletedResponse
{
    public string Object => "list.deleted";

    public required string User { get; init; }

    public required int Deleted { get; init; }
}

/// <summary><c>GET /health</c>.</summary>
internal sealed class HealthResponse
{
    public required string Status { get; init; }

    public required string Model { get; init; }

    public required int ActiveGenerations { get; init; }

    public required long QueuedGenerations { get; init; }

    public required long CompletedGenerations { get; init; }

    public required long CancelledGenerations { get; init; }

    public required long RejectedGenerations { get; init; }
}

/// <summary>OpenAI's error body.</summary>
internal sealed class ErrorResponse
{
    public required ErrorDto Error { get; init; }
}

/// <summary>OpenAI's error object; <c>param</c> and <c>code</c> are always present, null when not applicable.</summary>
internal sealed class ErrorDto
{
    public required string Message { get; init; }

    public required string Type { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? Param { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? Code { get; init; }
}
