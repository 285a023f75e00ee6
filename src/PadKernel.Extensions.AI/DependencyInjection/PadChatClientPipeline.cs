using Microsoft.Extensions.AI;

namespace PadKernel.Extensions.AI;

/// <summary>The middleware <see cref="PadKernelBuilder.UseChatClientPipeline"/> configured (a singleton), built around each scope's client.</summary>
internal sealed class PadChatClientPipeline
{
    private readonly List<Action<ChatClientBuilder>> _configure = [];

    public void Add(Action<ChatClientBuilder> configure) => _configure.Add(configure);

    public IChatClient Build(PadChatClient client, IServiceProvider services)
    {
        ChatClientBuilder builder = new ChatClientBuilder(client).UsePadPersonalization();
        foreach (Action<ChatClientBuilder> configure in _configure)
        {
            configure(builder);
        }

        return builder.Build(services);
    }
}
