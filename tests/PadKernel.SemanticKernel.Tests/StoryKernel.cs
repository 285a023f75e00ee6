using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;

namespace PadKernel.SemanticKernel.Tests;

/// <summary>Kernels and containers on the real stories260K model (loaded by each container, as an app would).</summary>
internal static class StoryKernel
{
    public const string Prompt = "Once upon a time";
    public const string Dog = "The story is about a dog named Max.";
    public const string Sad = "The story is sad. Everyone cried.";

    public static string Folder => TestData.StoriesFolder;

    /// <summary>PadKernel with the story model named <c>stories</c> (raw template, 24 tokens by default).</summary>
    public static PadKernelBuilder AddStoryModel(this IServiceCollection services) =>
        services.AddPadKernel(o => o.AddModel("stories", Folder, m =>
            {
                m.ChatTemplate = "raw";
                m.MaxOutputTokens = 24;
            }))
            .AddModelLoader<Llama2cModelLoader>();

    /// <summary>A kernel from <see cref="Kernel.CreateBuilder"/> with PadKernel as its chat completion service.</summary>
    public static Kernel Build(string? serviceId = null, Action<IKernelBuilder>? configure = null)
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddStoryModel();
        builder.AddPadChatCompletion(serviceId: serviceId);
        configure?.Invoke(builder);
        return builder.Build();
    }
}
