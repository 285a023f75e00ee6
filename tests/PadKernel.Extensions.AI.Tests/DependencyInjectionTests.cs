using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PadKernel.Alignment;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.Preferences;
using PadKernel.Preferences.Sqlite;

namespace PadKernel.Extensions.AI.Tests;

public sealed class DependencyInjectionTests : IDisposable
{
    private const string Prompt = "Once upon a time";
    private const string Dog = "The story is about a dog named Max.";
    private readonly string _folder = Directory.CreateTempSubdirectory("padkernel-di-").FullName;

    [Fact]
    public async Task AddPadKernel_ConfigurationSection_RegistersModelsClientsAndSqlitePreferences()
    {
        string settings = Path.Combine(_folder, "appsettings.json");
        string database = Path.Combine(_folder, "prefs.db");
        File.WriteAllText(settings, $$"""
            {
              "PadKernel": {
                "DefaultModel": "stories",
                "Models": {
                  "stories": { "Path": {{System.Text.Json.JsonSerializer.Serialize(TestData.StoriesFolder)}}, "ChatTemplate": "raw", "MaxOutputTokens": 24 },
                  "short": { "Path": {{System.Text.Json.JsonSerializer.Serialize(TestData.StoriesFolder)}}, "MaxOutputTokens": 5 }
                },
                "PreferencesDatabase": {{System.Text.Json.JsonSerializer.Serialize(database)}}
              }
            }
            """);
        IConfiguration configuration = new ConfigurationBuilder().AddJsonFile(settings).Build();

        var services = new ServiceCollection();
        services.AddPadKernel(configuration).AddModelLoader<Llama2cModelLoader>().UseSqlitePreferences();
        services.AddPadChatClient();
        services.AddKeyedPadChatClient("short");
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        // Models are singletons: the default and the keyed one are the same instance.
        ILanguageModel model = provider.GetRequiredService<ILanguageModel>();
        Assert.Same(model, provider.GetRequiredKeyedService<ILanguageModel>("stories"));
        Assert.NotSame(model, provider.GetRequiredKeyedService<ILanguageModel>("short"));
        Assert.IsType<SqlitePreferenceStore>(provider.GetRequiredService<IPreferenceStore>());
        Assert.True(File.Exists(database));

        await provider.GetRequiredService<IPreferenceStore>().SetAsync("alice", Dog, 4f);
        string aliceText;
        using (IServiceScope alice = provider.CreatePadUserScope("alice"))
        {
            IChatClient client = alice.ServiceProvider.GetRequiredService<IChatClient>();
            Assert.Equal("stories", client.GetService<ChatClientMetadata>()!.DefaultModelId);
            Assert.Same(model, client.GetService<ILanguageModel>());
            ChatResponse response = await client.GetResponseAsync(Prompt);
            Assert.Equal(24, response.Usage!.OutputTokenCount);
            aliceText = response.Text;

            IChatClient keyed = alice.ServiceProvider.GetRequiredKeyedService<IChatClient>("short");
            Assert.Equal(5, (await keyed.GetResponseAsync(Prompt)).Usage!.OutputTokenCount);
        }

        string bobText;
        using (IServiceScope bob = provider.CreatePadUserScope("bob"))
        {
            bobText = (await bob.ServiceProvider.GetRequiredService<IChatClient>().GetResponseAsync(Prompt)).Text;
        }

        var plain = new PadChatClient(model);
        Assert.Equal((await plain.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 24 })).Text, bobText);
        Assert.Equal(
            (await plain.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 24 }.WithPadPreferences(new PadPreference(Dog, 4f)))).Text,
            aliceText);
        Assert.NotEqual(aliceText, bobText);
    }

    [Fact]
    public async Task PreferenceTools_InAUsersScope_ChangeWhatThatUsersClientGenerates()
    {
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", TestData.StoriesFolder, m => m.MaxOutputTokens = 24))
            .AddModelLoader(new Llama2cModelLoader());
        services.AddPadChatClient();
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        using IServiceScope scope = provider.CreatePadUserScope("carol");
        IChatClient client = scope.ServiceProvider.GetRequiredService<IChatClient>();
        string before = (await client.GetResponseAsync(Prompt)).Text;

        PreferenceTools tools = scope.ServiceProvider.GetRequiredService<PreferenceTools>();
        await tools.Remember.InvokeAsync(new AIFunctionArguments { ["text"] = Dog, ["weight"] = 4.0 });
        string after = (await client.GetResponseAsync(Prompt)).Text;

        Assert.NotEqual(before, after);
        Assert.Equal(Dog, Assert.Single(await provider.GetRequiredService<IPreferenceStore>().ListAsync("carol")).Text);
        Assert.Empty(await provider.GetRequiredService<IPreferenceStore>().ListAsync("dave"));
    }

    [Fact]
    public async Task AddPadChatClient_Singleton_ServesAnyUserNamedPerRequestFromAValidatingRoot()
    {
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("shared", _ => StoryModel.Load()));
        services.AddPadChatClient(lifetime: ServiceLifetime.Singleton);
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await provider.GetRequiredService<IPreferenceStore>().SetAsync("erin", Dog, 4f);

        IChatClient root = provider.GetRequiredService<IChatClient>();
        string withUser = (await root.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 20 }.WithPadUser("erin"))).Text;
        string plain = (await root.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 20 })).Text;
        Assert.NotEqual(plain, withUser);

        // One pipeline for the app: a scope gets the same instance.
        using IServiceScope scope = provider.CreateScope();
        Assert.Same(root, scope.ServiceProvider.GetRequiredService<IChatClient>());
    }

    [Fact]
    public async Task AddPadKernel_ModelAddedLaterThroughConfigure_GetsItsClientAndModelEverywhere()
    {
        int runs = 0;
        var services = new ServiceCollection();
        services.AddPadKernel(_ => runs++).AddModelLoader<Llama2cModelLoader>();
        services.AddPadChatClient();
        services.AddKeyedPadChatClient("late");
        services.Configure<PadKernelOptions>(o => o.AddModel("late", TestData.StoriesFolder, m => m.MaxOutputTokens = 6));
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        // The delegate is deferred, like any Configure: nothing ran while registering.
        Assert.Equal(0, runs);
        using IServiceScope scope = provider.CreatePadUserScope("alice");
        Assert.Equal(6, (await scope.ServiceProvider.GetRequiredService<IChatClient>().GetResponseAsync(Prompt)).Usage!.OutputTokenCount);
        Assert.Equal("late", scope.ServiceProvider.GetRequiredKeyedService<IChatClient>("late").GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Same(provider.GetRequiredService<ILanguageModel>(), provider.GetRequiredKeyedService<ILanguageModel>("late"));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task AddPadKernel_ConfiguredRewardModelAndMode_ApplyToTheModelsClient()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PadKernel:Models:stories:Path"] = TestData.StoriesFolder,
            ["PadKernel:Models:stories:RewardModel"] = "persrm",
            ["PadKernel:Models:stories:Mode"] = "reward_model",
            ["PadKernel:Models:stories:MaxOutputTokens"] = "20",
            ["PadKernel:Models:persrm:Path"] = TestData.StoriesFolder,
            ["PadKernel:DefaultModel"] = "stories",
        }).Build();
        var services = new ServiceCollection();
        services.AddPadKernel(configuration).AddModelLoader<Llama2cModelLoader>();
        services.AddPadChatClient(lifetime: ServiceLifetime.Singleton);
        await using ServiceProvider provider = services.BuildServiceProvider();

        IChatClient client = provider.GetRequiredService<IChatClient>();
        PadChatClientOptions options = client.GetService<PadChatClientOptions>()!;
        Assert.Same(provider.GetRequiredKeyedService<ILanguageModel>("persrm"), options.RewardModel);
        Assert.Equal(RewardMode.RewardModel, options.Defaults.Mode);

        ChatOptions chat = new ChatOptions().WithPadPreferences(Dog);
        DecodeRequest request = client.GetService<PadChatClient>()!.CreateDecodeRequest([new ChatMessage(ChatRole.User, Prompt)], chat);
        Assert.Equal(PadPrompts.Encode(options.RewardModel!, PadPrompts.SelfContrastText(Dog, Prompt)), Assert.Single(request.Rewards).Context);
        Assert.Same(options.RewardModel, request.Rewards[0].Model);
        Assert.Equal(20, (await client.GetResponseAsync(Prompt, chat)).Usage!.OutputTokenCount);
    }

    [Fact]
    public void AddPadKernel_MissingModelsLoadersOrBadDefaults_AreClearErrors()
    {
        var none = new ServiceCollection();
        none.AddPadKernel();
        using ServiceProvider empty = none.BuildServiceProvider();
        Assert.Contains("No PadKernel model", Assert.Throws<InvalidOperationException>(() => empty.GetRequiredService<ILanguageModel>()).Message, StringComparison.Ordinal);

        var noLoader = new ServiceCollection();
        noLoader.AddPadKernel(o => o.ModelPath = TestData.StoriesFolder);
        using ServiceProvider withoutLoader = noLoader.BuildServiceProvider();
        Assert.Contains("AddModelLoader", Assert.Throws<InvalidOperationException>(() => withoutLoader.GetRequiredService<ILanguageModel>()).Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", Assert.Throws<InvalidOperationException>(() => withoutLoader.GetRequiredService<PadModelRegistry>().GetModel("nope")).Message, StringComparison.Ordinal);

        // Keyed models exist for configured names only: any other key finds nothing, as for any unregistered service.
        Assert.Null(withoutLoader.GetKeyedService<ILanguageModel>("nope"));
        Assert.Null(withoutLoader.GetKeyedService<IChatClient>("nope"));

        // A default out of range names its configuration path when the client is built.
        var bad = new ServiceCollection();
        bad.AddPadKernel(o => o.AddModel("stories", _ => StoryModel.Load(), m => m.PadTopK = 0));
        bad.AddPadChatClient(lifetime: ServiceLifetime.Singleton);
        using ServiceProvider badProvider = bad.BuildServiceProvider();
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => badProvider.GetRequiredService<IChatClient>());
        Assert.Equal("PadKernel:Models:stories:PadTopK", error.ParamName);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class SemanticKernelServiceLookupTests
{
    [Fact]
    public async Task GetKeyedServices_EveryRegisteredKey_FindsOnlyWorkingPadKernelClients()
    {
        // Semantic Kernel's Kernel.GetAllServices<T>() (dotnet/src/SemanticKernel.Abstractions/Kernel.cs) asks the provider for
        // GetKeyedServices<T>(key) of every key registered for T, null included, and takes the last one when no service id
        // is given (OrderedAIServiceSelector). PadKernel registers a chat client per AddPadChatClient call, never under
        // KeyedService.AnyKey, which would answer every other connector's key too (tests/PadKernel.SemanticKernel.Tests
        // run this on the real SK).
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", _ => StoryModel.Load(), m => m.MaxOutputTokens = 5));
        services.AddPadChatClient(lifetime: ServiceLifetime.Singleton);
        services.AddKeyedPadChatClient("stories", lifetime: ServiceLifetime.Singleton);
        HashSet<object?> keys = services.Where(d => d.ServiceType == typeof(IChatClient)).Select(d => d.ServiceKey).ToHashSet();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal([null, "stories"], keys);
        IChatClient[] all = keys.SelectMany(key => provider.GetKeyedServices<IChatClient>(key)).ToArray();
        Assert.Equal(2, all.Length);
        Assert.All(all, c => Assert.IsType<PadPersonalizationChatClient>(c));
        Assert.Equal("stories", all[^1].GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.NotEmpty((await all[^1].GetResponseAsync("Once upon a time")).Text);
    }
}
