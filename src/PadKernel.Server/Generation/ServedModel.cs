using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using PadKernel.Server.Configuration;

namespace PadKernel.Server.Generation;

/// <summary>The model the server lists and accepts: the configured id, else the chat client's default model id.</summary>
internal sealed class ServedModel(IOptions<PadServerOptions> options, IChatClient chatClient)
{
    private readonly Lazy<string> _id = new(() =>
        options.Value.ModelId
        ?? (chatClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId
        ?? "pad");

    public string Id => _id.Value;

    /// <summary>Gets when the server started, reported as the model's <c>created</c> time.</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
