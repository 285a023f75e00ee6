using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using static PadKernel.SemanticKernel.Tests.StoryKernel;

namespace PadKernel.SemanticKernel.Tests;

public sealed class ChatCompletionTests
{
    private static KernelArguments With(PromptExecutionSettings settings) => new(settings);

    [Fact]
    public async Task InvokePrompt_PadSettings_SteerAndWeightZeroIsPlainDecoding()
    {
        Kernel kernel = Build();
        Assert.IsType<PadChatCompletionService>(kernel.GetRequiredService<IChatCompletionService>());

        string plain = (await kernel.InvokePromptAsync(Prompt, With(new PadPromptExecutionSettings { MaxTokens = 24 }))).ToString();
        string noSettings = (await kernel.InvokePromptAsync(Prompt)).ToString();
        string dog = (await kernel.InvokePromptAsync(Prompt, With(new PadPromptExecutionSettings { MaxTokens = 24, Preferences = [new(Dog)], PreferenceWeight = 4 }))).ToString();
        string zero = (await kernel.InvokePromptAsync(Prompt, With(new PadPromptExecutionSettings { MaxTokens = 24, Preferences = [new(Dog, 0f)] }))).ToString();

        Assert.Equal(plain, noSettings);
        Assert.NotEqual(plain, dog);
        Assert.Equal(plain, zero);

        // The same request straight to the M.E.AI client on the same model generates the same text.
        using Llama2cModel model = new Llama2cModelLoader().Load(Folder) as Llama2cModel ?? throw new InvalidOperationException();
        var client = new PadChatClient(model, new PadChatClientOptions { ChatTemplate = Prompts.ChatTemplate.FromName("raw") });
        ChatOptions options = new ChatOptions { MaxOutputTokens = 24 }.WithPadPreferences(Dog).WithPadWeight(4f);
        Assert.Equal((await client.GetResponseAsync(Prompt, options)).Text, dog);
    }

    [Fact]
    public async Task InvokePromptStreaming_PadSettings_GivesTheNonStreamingText()
    {
        Kernel kernel = Build();
        var settings = new PadPromptExecutionSettings { MaxTokens = 20, Preferences = [new(Sad, 3f)] };
        string whole = (await kernel.InvokePromptAsync(Prompt, With(settings))).ToString();

        var streamed = new System.Text.StringBuilder();
        await foreach (StreamingKernelContent update in kernel.InvokePromptStreamingAsync(Prompt, With(settings)))
        {
            streamed.Append(update);
        }

        Assert.Equal(whole, streamed.ToString());

        // And through the service with a chat history, as a ChatCompletionAgent calls it.
        IChatCompletionService chat = kernel.GetRequiredService<IChatCompletionService>();
        ChatHistory history = [];
        history.AddUserMessage(Prompt);
        ChatMessageContent message = await chat.GetChatMessageContentAsync(history, settings, kernel);
        var chunks = new System.Text.StringBuilder();
        await foreach (StreamingChatMessageContent chunk in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel))
        {
            chunks.Append(chunk.Content);
        }

        Assert.Equal(whole, message.Content);
        Assert.Equal(whole, chunks.ToString());
        Assert.Equal(AuthorRole.Assistant, message.Role);
        Assert.Equal("stories", chat.GetModelId());
    }

    [Fact]
    public async Task InvokePrompt_RootKernelInAValidatingHost_WorksAndAScopeKernelActsForItsUser()
    {
        var services = new ServiceCollection();
        services.AddStoryModel();
        services.AddKernel().AddPadChatCompletion();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await provider.GetRequiredService<PadKernel.Preferences.IPreferenceStore>().SetAsync("alice", Dog, 4f);

        Kernel root = provider.GetRequiredService<Kernel>();
        string plain = (await root.InvokePromptAsync(Prompt)).ToString();
        Assert.NotEmpty(plain);
        Assert.Same(provider.GetRequiredService<IChatCompletionService>(), root.GetRequiredService<IChatCompletionService>());

        // The root kernel acts for nobody unless told: pad_user names the user whose stored preferences apply.
        string named = (await root.InvokePromptAsync(Prompt, With(new PadPromptExecutionSettings { User = "alice" }))).ToString();
        Assert.NotEqual(plain, named);

        using IServiceScope scope = provider.CreatePadUserScope("alice");
        Kernel alice = scope.ServiceProvider.GetRequiredService<Kernel>();
        Assert.Equal(named, (await alice.InvokePromptAsync(Prompt)).ToString());

        // A user's kernel refuses to act for someone else.
        ArgumentException other = await Assert.ThrowsAnyAsync<ArgumentException>(() => alice.InvokePromptAsync(Prompt, With(new PadPromptExecutionSettings { User = "bob" })));
        Assert.Equal(PadOptionKeys.User, other.ParamName);

        using IServiceScope bobScope = provider.CreatePadUserScope("bob");
        Assert.Equal(plain, (await bobScope.ServiceProvider.GetRequiredService<Kernel>().InvokePromptAsync(Prompt)).ToString());
    }

    [Theory]
    [InlineData("stories")]
    [InlineData("pad")]
    public async Task InvokePrompt_ScopeKernelWithAnyServiceId_ActsForItsUser(string serviceId)
    {
        var services = new ServiceCollection();
        services.AddKernel().AddPadChatCompletion(serviceId: serviceId);
        services.AddStoryModel();
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        await provider.GetRequiredService<PadKernel.Preferences.IPreferenceStore>().SetAsync("alice", Dog, 4f);
        var settings = new KernelArguments(new PromptExecutionSettings { ServiceId = serviceId });

        string plain = (await provider.GetRequiredService<Kernel>().InvokePromptAsync(Prompt, settings)).ToString();
        using IServiceScope scope = provider.CreatePadUserScope("alice");
        string alice = (await scope.ServiceProvider.GetRequiredService<Kernel>().InvokePromptAsync(Prompt, settings)).ToString();
        Assert.NotEqual(plain, alice);
        Assert.Equal(alice, (await provider.GetRequiredService<Kernel>().InvokePromptAsync(Prompt, new KernelArguments(new PadPromptExecutionSettings { ServiceId = serviceId, User = "alice" }))).ToString());
    }

    [Fact]
    public async Task AddPadChatCompletion_SharedCacheInThePipeline_KeepsScopeUsersApartForAModelConfiguredLater()
    {
        int misses = 0;
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPadKernel().AddModelLoader<Llama2cModelLoader>();
        services.AddKernel().AddPadChatCompletion(serviceId: "pad", configurePipeline: pipeline => pipeline
            .UseDistributedCache()
            .Use((messages, options, next, cancellationToken) =>
            {
                Interlocked.Increment(ref misses);
                return next(messages, options, cancellationToken);
            }));

        // The model comes from configuration applied after the connector was added.
        services.Configure<PadKernelOptions>(o => o.AddModel("stories", Folder, m =>
        {
            m.ChatTemplate = "raw";
            m.MaxOutputTokens = 24;
        }));
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        await provider.GetRequiredService<PadKernel.Preferences.IPreferenceStore>().SetAsync("alice", Dog, 4f);
        var settings = new KernelArguments(new PadPromptExecutionSettings { ServiceId = "pad" });

        async Task<string> AskAsync(string user)
        {
            using IServiceScope scope = provider.CreatePadUserScope(user);
            return (await scope.ServiceProvider.GetRequiredService<Kernel>().InvokePromptAsync(Prompt, settings)).ToString();
        }

        string alice = await AskAsync("alice");
        string bob = await AskAsync("bob");
        Assert.NotEqual(alice, bob);
        Assert.Equal(2, misses);
        Assert.Equal(alice, await AskAsync("alice"));
        Assert.Equal(2, misses);

        // The keyed IChatClient of the service id is the same pipeline, PadKernel's client inside.
        Kernel root = provider.GetRequiredService<Kernel>();
        Assert.Equal("stories", root.GetRequiredService<IChatClient>("pad").GetService<PadChatClient>()!.ModelId);
    }

    [Fact]
    public async Task InvokePrompt_FunctionChoiceRequired_IsRefusedNotIgnored()
    {
        Kernel kernel = Build();
        kernel.Plugins.AddFromObject(new PadPreferencesPlugin(new PadKernel.Preferences.InMemoryPreferenceStore(), "alice"), "preferences");

        var required = new PadPromptExecutionSettings { MaxTokens = 8, FunctionChoiceBehavior = FunctionChoiceBehavior.Required() };
        NotSupportedException refused = await Assert.ThrowsAsync<NotSupportedException>(() => kernel.InvokePromptAsync(Prompt, With(required)));
        Assert.Contains("do not call tools", refused.Message, StringComparison.Ordinal);

        // Without functions to offer nothing is asked of the model.
        Kernel bare = Build();
        string plain = (await bare.InvokePromptAsync(Prompt, With(new PadPromptExecutionSettings { MaxTokens = 8 }))).ToString();
        Assert.Equal(plain, (await bare.InvokePromptAsync(Prompt, With(required))).ToString());

        // Auto offers the functions; the answer is the plain text and the app's log says the tools were not called.
        var warnings = new WarningLog();
        Kernel logged = Build(configure: b => b.Services.AddSingleton<ILoggerFactory>(warnings));
        logged.Plugins.AddFromObject(new PadPreferencesPlugin(new PadKernel.Preferences.InMemoryPreferenceStore(), "alice"), "preferences");
        var auto = new PadPromptExecutionSettings { MaxTokens = 8, FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        Assert.Equal(plain, (await logged.InvokePromptAsync(Prompt, With(auto))).ToString());
        Assert.Contains(warnings.Messages, m => m.Contains("cannot call tools", StringComparison.Ordinal));
    }

    /// <summary>Keeps the warnings an app's logging would show.</summary>
    private sealed class WarningLog : ILoggerFactory, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
