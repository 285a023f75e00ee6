using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using PadKernel.Preferences;

namespace PadKernel.SemanticKernel.Tests;

/// <summary>
/// The C# snippets of docs/semantic-kernel.md and README.md's Semantic Kernel section, compiled and run here (and in the
/// sample): <see cref="Docs_CSharpBlocks_AreCompiledCode"/> fails when a snippet is not, line for line, code of these files.
/// </summary>
public sealed class DocsExamples
{
    private readonly string modelFolder = StoryKernel.Folder;

    [Fact]
    public void Docs_CSharpBlocks_AreCompiledCode()
    {
        string[] sources = ["tests/PadKernel.SemanticKernel.Tests/DocsExamples.cs", "samples/PadKernel.Samples.SemanticKernel/StorySample.cs"];
        DocSnippets.AssertCompiled("docs/semantic-kernel.md", include: null, sources);
        DocSnippets.AssertCompiled("README.md", block => block.Contains("AddPadChatCompletion", StringComparison.Ordinal), sources);
    }

    [Fact]
    public async Task Readme_Snippet_WritesAlicesStory()
    {
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", modelFolder)).AddModelLoader<Llama2cModelLoader>();
        services.AddKernel().AddPadChatCompletion();               // or kernelBuilder.AddPadChatCompletion(serviceId: "pad")
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        await provider.GetRequiredService<IPreferenceStore>().SetAsync("alice", "The story is about a dog named Max.", 4f);   // her memory

        using IServiceScope scope = provider.CreatePadUserScope("alice");
        Kernel kernel = scope.ServiceProvider.GetRequiredService<Kernel>();   // acts for alice: her stored preferences apply
        kernel.Plugins.AddFromObject(scope.ServiceProvider.GetRequiredService<PadPreferencesPlugin>(), "preferences");
        var settings = new PadPromptExecutionSettings { MaxTokens = 64, Preferences = [new("The story is sad.", 2f)] };
        FunctionResult story = await kernel.InvokePromptAsync("Once upon a time", new KernelArguments(settings));

        using IServiceScope bob = provider.CreatePadUserScope("bob");
        FunctionResult bobStory = await bob.ServiceProvider.GetRequiredService<Kernel>().InvokePromptAsync("Once upon a time", new KernelArguments(settings));
        Assert.NotEqual(bobStory.ToString(), story.ToString());
    }

    [Fact]
    public async Task KernelBuilder_Snippet_ServesThePadServiceId()
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddPadKernel(o => o.AddModel("stories", modelFolder)).AddModelLoader<Llama2cModelLoader>();
        builder.AddPadChatCompletion(modelId: "stories", serviceId: "pad");
        Kernel kernel = builder.Build();

        Assert.IsType<PadChatCompletionService>(kernel.GetRequiredService<IChatCompletionService>("pad"));
        Assert.NotEmpty((await kernel.InvokePromptAsync("Once upon a time", new KernelArguments(new PromptExecutionSettings { ServiceId = "pad" }))).ToString());
    }

    [Fact]
    public async Task Pipeline_Snippet_CachesPerUser()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPadKernel(o => o.AddModel("stories", modelFolder)).AddModelLoader<Llama2cModelLoader>();
        services.AddKernel().AddPadChatCompletion(serviceId: "pad", configurePipeline: pipeline => pipeline
            .UseDistributedCache()                                  // after PadKernel's personalization stage: keyed per user
            .UseOpenTelemetry());
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        IChatClient pad = provider.GetRequiredKeyedService<IChatClient>("pad");
        Assert.NotNull(pad.GetService<DistributedCachingChatClient>());
        Assert.NotNull(pad.GetService<PadPersonalizationChatClient>());
        Assert.NotEmpty((await provider.GetRequiredService<Kernel>().InvokePromptAsync("Once upon a time", new KernelArguments(new PromptExecutionSettings { ServiceId = "pad" }))).ToString());
    }

    [Fact]
    public async Task Settings_Snippet_SteersTheStory()
    {
        Kernel kernel = StoryKernel.Build();
        var settings = new PadPromptExecutionSettings { MaxTokens = 24, Preferences = [new("The story is sad. Everyone cried.", 3f)] };
        string text = (await kernel.InvokePromptAsync("Once upon a time", new KernelArguments(settings))).ToString();

        Assert.NotEqual((await kernel.InvokePromptAsync("Once upon a time")).ToString(), text);
    }
}
