using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PadKernel.Server.Configuration;

namespace PadKernel.Server.Generation;

/// <summary>The model the server lists and accepts: the configured id, else the chat client's default model id.</summary>
internal sealed class ServedModel(IOptions<PadServerOptions> options, IServiceScopeFactory scopes)
{
    private readonly Lazy<string> _id = new(() => options.Value.ModelId ?? FromChatClient(scopes) ?? "pad");

    public string Id => _id.Value;

    /// <summary>Gets when the server started, reported as the model's <c>created</c> time.</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string? FromChatClient(IServiceScopeFactory scopes)
    {
        // The chat client may be scoped (AddPadKernel registers it per scope): ask one made in a throwaway scope.
        using IServiceScope scope = scopes.CreateScope();
        IChatClient client = scope.ServiceProvider.GetRequiredService<IChatClient>();
        return (client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId;
    }
}
