using System.Text.Json;

namespace PadKernel.Server.Protocol;

/// <summary>A JSON value of the right syntax but the wrong shape; <see cref="Detail"/> says what was expected.</summary>
internal sealed class ProtocolJsonException(string detail) : JsonException(detail)
{
    public string Detail { get; } = detail;
}
