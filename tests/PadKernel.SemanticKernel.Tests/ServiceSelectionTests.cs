using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using static PadKernel.SemanticKernel.Tests.StoryKernel;

namespace PadKernel.SemanticKernel.Tests;

public sealed class ServiceSelectionTests
{
    [Fact]
    public async Task InvokePrompt_ServiceIdOrModelId_RouteBetweenPadKernelAndAnotherClient()
    {
        var echo = new EchoChatClient();
        Kernel kernel = Build(serviceId: "pad", configure: b =>
        {
            // The other client as a plain IChatClient, and as a chat completion service for selection by model id.
            b.Services.AddKeyedSingleton<IChatClient>("echo", echo);
            b.Services.AddKeyedSingleton("echo-service", echo.AsChatCompletionService());
        });

        string pad = (await kernel.InvokePromptAsync(Prompt, new KernelArguments(new PromptExecutionSettings { ServiceId = "pad" }))).ToString();
        string echoed = (await kernel.InvokePromptAsync(Prompt, new KernelArguments(new PromptExecutionSettings { ServiceId = "echo" }))).ToString();
        string byModel = (await kernel.InvokePromptAsync(Prompt, new KernelArguments(new PromptExecutionSettings { ModelId = "stories" }))).ToString();
        string byEchoModel = (await kernel.InvokePromptAsync(Prompt, new KernelArguments(new PromptExecutionSettings { ModelId = EchoChatClient.ModelId }))).ToString();

        Assert.Equal("echo: " + Prompt, echoed);
        Assert.Equal(echoed, byEchoModel);
        Assert.StartsWith(Prompt, Prompt + pad, StringComparison.Ordinal);
        Assert.NotEqual(echoed, pad);
        Assert.Equal(pad, byModel);

        // The keyed registrations are exactly those made: PadKernel's service id, its model name, and the other client once.
        Assert.IsType<PadChatCompletionService>(kernel.GetRequiredService<IChatCompletionService>("pad"));
        Assert.Same(echo, kernel.GetRequiredService<IChatClient>("echo"));
        Assert.Single(kernel.GetAllServices<IChatClient>(), c => ReferenceEquals(c, echo));
        Assert.Null(kernel.Services.GetKeyedService<IChatClient>("nope"));
        Assert.Null(kernel.Services.GetKeyedService<IChatCompletionService>("nope"));
    }

    [Fact]
    public async Task InvokePrompt_UnknownServiceId_GetsSemanticKernelsOwnError()
    {
        Kernel kernel = Build();
        KernelException error = await Assert.ThrowsAsync<KernelException>(() =>
            kernel.InvokePromptAsync(Prompt, new KernelArguments(new PromptExecutionSettings { ServiceId = "nope" })));
        Assert.Contains("No service was found", error.Message, StringComparison.Ordinal);

        // A function whose own settings name the service: SK's message lists the id it looked for.
        KernelFunction function = kernel.CreateFunctionFromPrompt(Prompt, new PromptExecutionSettings { ServiceId = "nope" });
        error = await Assert.ThrowsAsync<KernelException>(() => function.InvokeAsync(kernel));
        Assert.Contains("Expected serviceIds: nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetRequiredService_UnconfiguredModelName_ThrowsNamingIt()
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddStoryModel();
        builder.AddPadChatCompletion(modelId: "missing");
        Kernel kernel = builder.Build();
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>());
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A second chat client: answers "echo: " and the last user message.</summary>
    private sealed class EchoChatClient : IChatClient
    {
        public const string ModelId = "echo-model";

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo: " + messages.Last(m => m.Role == ChatRole.User).Text)));

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (ChatResponseUpdate update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("echo", null, ModelId) : null;

        public void Dispose()
        {
        }
    }
}
