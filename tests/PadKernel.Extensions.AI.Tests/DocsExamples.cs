using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.Preferences;
using PadKernel.Preferences.Sqlite;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// The C# snippets of README.md and docs/chat-client.md, compiled and run here: <see cref="Docs_CSharpBlocks_AreThisFilesCode"/>
/// fails when a snippet is not, line for line, code of this file (or of a sample).
/// </summary>
public sealed class DocsExamples : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"padkernel-docs-{Guid.NewGuid():N}.db");
    private readonly string modelFolder = TestData.StoriesFolder;

    [Fact]
    public void Docs_CSharpBlocks_AreThisFilesCode()
    {
        const string self = "tests/PadKernel.Extensions.AI.Tests/DocsExamples.cs";
        DocSnippets.AssertCompiled("docs/chat-client.md", include: null, self, "samples/PadKernel.Samples.AgentPipeline/Program.cs");
        DocSnippets.AssertCompiled("README.md", block => block.Contains("PadChatClient", StringComparison.Ordinal) || block.Contains("WithPad", StringComparison.Ordinal), self);
    }

    [Fact]
    public async Task ChatClientByHand_Snippet_FollowsThePreference()
    {
        ILanguageModel model = StoryModel.Model;
        IChatClient client = new PadChatClient(model, new PadChatClientOptions { Defaults = { MaxOutputTokens = 128 } });
        ChatResponse response = await client.GetResponseAsync("Once upon a time",
            new ChatOptions().WithPadPreferences(new PadPreference("The story is about a dog named Max.", 3f)));

        Assert.Contains("Max", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DependencyInjection_Snippets_ApplyAlicesMemoryAndRequestPreferences()
    {
        string database = _database;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDistributedMemoryCache();
        services.AddPadKernel(o => o.AddModel("stories", modelFolder))
                .AddModelLoader<Llama2cModelLoader>()
                .UseSqlitePreferences(database);
        services.AddPadChatClient()                         // the default model's IChatClient, built per scope
                .UseDistributedCache()                      // your middleware: it runs after PadKernel's personalization stage
                .UseLogging();
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        ChatResponse story;
        using (IServiceScope alice = provider.CreatePadUserScope("alice"))
        {
            // What an agent's remember_preference tool call does when Alice says "from now on, stories about Max".
            await alice.ServiceProvider.GetRequiredService<PreferenceTools>().Remember
                .InvokeAsync(new() { ["text"] = "The story is about a dog named Max.", ["weight"] = 3.0 });

            IChatClient chat = alice.ServiceProvider.GetRequiredService<IChatClient>();
            story = await chat.GetResponseAsync("Once upon a time");
        }

        using IServiceScope scope = provider.CreatePadUserScope("alice");
        IChatClient aliceChat = scope.ServiceProvider.GetRequiredService<IChatClient>();
        ChatResponse sadStory = await aliceChat.GetResponseAsync("Once upon a time", new ChatOptions()
            .WithPadPreferences(new PadPreference("The story is sad.", 2f)));
        Assert.NotEqual(story.Text, sadStory.Text);
        Assert.Contains("Max", story.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyedClients_Snippet_GiveEachModelItsOwnPipeline()
    {
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", modelFolder))
                .AddModelLoader<Llama2cModelLoader>();
        services.Configure<PadKernelOptions>(o => o.AddModel("short", modelFolder, m => m.MaxOutputTokens = 8));
        services.AddKeyedPadChatClient("short")            // keyed by the model's name; its own middleware
                .UseFunctionInvocation();
        services.AddKeyedPadChatClient("shared", model: "stories", lifetime: ServiceLifetime.Singleton);
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        using IServiceScope scope = provider.CreatePadUserScope("alice");
        Assert.Equal(8, (await scope.ServiceProvider.GetRequiredKeyedService<IChatClient>("short").GetResponseAsync("Once upon a time")).Usage!.OutputTokenCount);
        Assert.Equal("stories", provider.GetRequiredKeyedService<IChatClient>("shared").GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task HandBuiltPipeline_Snippet_KeysTheCacheOnAlicesPreferences()
    {
        ILanguageModel model = StoryModel.Model;
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "The story is about a dog named Max.", 3f);
        IDistributedCache cache = new Microsoft.Extensions.Caching.Distributed.MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions()));
        IChatClient agent = new PadChatClient(model).AsBuilder()
            .UsePadPersonalization(new PadPreferenceResolver(store), new PadUserContext("alice"))   // first: before any stage that caches
            .UseDistributedCache(cache)
            .UseFunctionInvocation()
            .Build();

        string text = (await agent.GetResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 24 })).Text;
        ChatOptions direct = new ChatOptions { MaxOutputTokens = 24 }.WithPadPreferences(new PadPreference("The story is about a dog named Max.", 3f));
        Assert.Equal((await new PadChatClient(model).GetResponseAsync("Once upon a time", direct)).Text, text);
        Assert.Equal(text, (await agent.GetResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 24 })).Text);
    }

    [Fact]
    public async Task PerCallUserAndLayer_Snippet_EqualsTheSamePreferencesGivenDirectly()
    {
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", modelFolder, m => m.MaxOutputTokens = 24))
                .AddModelLoader<Llama2cModelLoader>();
        services.AddPadChatClient(lifetime: ServiceLifetime.Singleton);   // one pipeline; each call names its user
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        await provider.GetRequiredService<IPreferenceStore>().SetAsync("alice", "The story is about a dog named Max.", 3f);
        IChatClient chat = provider.GetRequiredService<IChatClient>();
        string sessionUser = "alice";

        // A stage outside PadKernel (one that knows the agent session's user, say) supplies the user and extra
        // preferences for one call: it writes them into that call's options, before the personalization stage reads them.
        IChatClient perSession = chat.AsBuilder()
            .Use((messages, options, next, cancellationToken) =>
            {
                ChatOptions call = (options?.Clone() ?? new ChatOptions())
                    .WithPadUser(sessionUser)
                    .WithPadPreferenceLayer(new PadPreferenceLayer("agent", [new PadPreference("The story is sad.")], Weight: 2f));
                return next(messages, call, cancellationToken);
            })
            .Build();

        string layered = (await perSession.GetResponseAsync("Once upon a time")).Text;
        ChatOptions direct = new ChatOptions { MaxOutputTokens = 24 }.WithPadPreferences(
            new PadPreference("The story is about a dog named Max.", 3f), new PadPreference("The story is sad.", 2f));
        Assert.Equal((await new PadChatClient(StoryModel.Model).GetResponseAsync("Once upon a time", direct)).Text, layered);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
