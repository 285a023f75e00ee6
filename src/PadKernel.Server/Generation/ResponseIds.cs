namespace PadKernel.Server.Generation;

/// <summary>Makes the <c>chatcmpl-…</c> ids of responses.</summary>
internal static class ResponseIds
{
    public static string Create(string? responseId) =>
        responseId is { Length: > 0 }
            ? (responseId.StartsWith("chatcmpl-", StringComparison.Ordinal) ? responseId : "chatcmpl-" + responseId)
            : "chatcmpl-" + Guid.NewGuid().ToString("N");
}
