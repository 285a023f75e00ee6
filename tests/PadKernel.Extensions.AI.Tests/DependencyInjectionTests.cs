using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Configuration_section_registers_models_clients_and_sqlite_preferences()
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
            (await plain.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 24, AdditionalProperties = new() { ["pad_preferences"] = Dog, ["pad_weight"] = 4.0 } })).Text,
            aliceText);
        Assert.NotEqual(aliceText, bobText);
    }

    [Fact]
    public async Task Code_options_preference_tools_in_a_scope_change_what_that_users_client_generates()
    {
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", TestData.StoriesFolder, m => m.MaxOutputTokens = 24))
            .AddModelLoader(new Llama2cModelLoader());
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
    public async Task A_model_factory_and_the_root_client_with_pad_user_work_without_scopes()
    {
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("shared", _ => StoryModel.Load()));
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IPreferenceStore>().SetAsync("erin", Dog, 4f);

        // Semantic Kernel resolves IChatClient from the root provider: the user then travels as pad_user.
        IChatClient root = provider.GetRequiredService<IChatClient>();
        var options = new ChatOptions { MaxOutputTokens = 20, AdditionalProperties = new() { ["pad_user"] = "erin" } };
        string withUser = (await root.GetResponseAsync(Prompt, options)).Text;
        string plain = (await root.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 20 })).Text;
        Assert.NotEqual(plain, withUser);
    }

    [Fact]
    public async Task A_configured_reward_model_and_mode_apply_to_the_models_client()
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
        await using ServiceProvider provider = services.BuildServiceProvider();

        IChatClient client = provider.GetRequiredService<IChatClient>();
        PadChatClientOptions options = client.GetService<PadChatClientOptions>()!;
        Assert.Same(provider.GetRequiredKeyedService<ILanguageModel>("persrm"), options.RewardModel);
        Assert.Equal(Alignment.RewardMode.RewardModel, options.DefaultMode);

        var chat = new ChatOptions { AdditionalProperties = new() { ["pad_preferences"] = Dog } };
        Alignment.DecodeRequest request = await ((PadChatClient)client).CreateDecodeRequestAsync([new ChatMessage(ChatRole.User, Prompt)], chat);
        Assert.Equal(Alignment.PadPrompts.Encode(options.RewardModel!, Alignment.PadPrompts.SelfContrastText(Dog, Prompt)), Assert.Single(request.Rewards).Context);
        Assert.Same(options.RewardModel, request.Rewards[0].Model);
        Assert.Equal(20, (await client.GetResponseAsync(Prompt, chat)).Usage!.OutputTokenCount);
    }

    [Fact]
    public void Missing_models_and_loaders_are_clear_errors()
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

        // Keyed services exist for configured model names only: any other key finds nothing, as for any unregistered service.
        Assert.Null(withoutLoader.GetKeyedService<ILanguageModel>("nope"));
        Assert.Null(withoutLoader.GetKeyedService<IChatClient>("nope"));
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
    public async Task Enumerating_every_registered_key_finds_a_working_PadKernel_client()
    {
        // Semantic Kernel's Kernel.GetAllServices<T>() (dotnet/src/SemanticKernel.Abstractions/Kernel.cs) asks the provider for
        // GetKeyedServices<T>(key) of every key registered for T, null included, and takes the last one when no service id
        // is given (OrderedAIServiceSelector). PadKernel registers its keyed client per model name, never KeyedService.AnyKey,
        // which would answer every other connector's key too (tests/PadKernel.SemanticKernel.Tests run this on the real SK).
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", _ => StoryModel.Load(), m => m.MaxOutputTokens = 5));
        HashSet<object?> keys = services.Where(d => d.ServiceType == typeof(IChatClient)).Select(d => d.ServiceKey).ToHashSet();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Contains(null, keys);
        Assert.Contains("stories", keys);
        Assert.DoesNotContain(KeyedService.AnyKey, keys);
        IChatClient[] all = keys.SelectMany(key => provider.GetKeyedServices<IChatClient>(key)).ToArray();
        Assert.NotEmpty(all);
        Assert.All(all, c => Assert.IsType<PadChatClient>(c));
        Assert.Equal("stories", all[^1].GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.NotEmpty((await all[^1].GetResponseAsync("Once upon a time")).Text);
    }
}
