using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Llama2c;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// PadKernel inside Microsoft.Extensions.AI pipelines: a cache shared by users over the DI hook and over a hand-built
/// pipeline, tools, and OpenTelemetry. Everything runs the real story model.
/// </summary>
public sealed class PipelineTests
{
    private const string Prompt = "Once upon a time";
    private const string Dog = "The story is about a dog named Max.";
    private const string Sad = "The story is sad. Everyone cried.";
    private const int Tokens = 24;

    public static TheoryData<bool> Streaming => new() { false, true };

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task AddPadChatClient_SharedCache_KeepsUsersAndPreferenceSetsApart(bool streaming)
    {
        var cache = NewCache();
        var misses = new CallCounter();
        await using ServiceProvider provider = Provider(b => b.UseDistributedCache(cache).Use(inner => new CountingChatClient(inner, misses)));

        await CheckCacheIsolation(provider, scope => scope.ServiceProvider.GetRequiredService<IChatClient>(), misses, streaming);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task UsePadPersonalization_HandBuiltCachePipeline_KeepsUsersAndPreferenceSetsApart(bool streaming)
    {
        var cache = NewCache();
        var misses = new CallCounter();
        await using ServiceProvider provider = Provider(configure: null);

        await CheckCacheIsolation(provider, HandBuilt(cache, misses), misses, streaming);
    }

    [Fact]
    public async Task UsePadPersonalization_HandBuiltCacheAroundARegisteredPipeline_IsIsolatedToo()
    {
        var misses = new CallCounter();
        await using ServiceProvider provider = Provider(b => b.UseDistributedCache(NewCache()));

        await CheckCacheIsolation(provider, HandBuilt(NewCache(), misses), misses, streaming: false);
    }

    [Fact]
    public async Task AddPadChatClient_DefaultAndKeyed_BuildPerScopeWithTheScopesServices()
    {
        var seen = new List<(string? ScopeUser, object? OptionsUser)>();
        await using ServiceProvider provider = Provider(b => b.Use((inner, services) =>
            new ObservingChatClient(inner, options => seen.Add((services.GetRequiredService<IPadUserContext>().UserId, options?.AdditionalProperties?[PadOptionKeys.User])))));

        foreach (string user in new[] { "alice", "bob" })
        {
            using IServiceScope scope = provider.CreatePadUserScope(user);
            IChatClient client = scope.ServiceProvider.GetRequiredService<IChatClient>();
            IChatClient keyed = scope.ServiceProvider.GetRequiredKeyedService<IChatClient>("stories");
            Assert.NotSame(client, keyed);
            foreach (IChatClient c in new[] { client, keyed })
            {
                Assert.NotNull(c.GetService<PadPersonalizationChatClient>());
                Assert.Equal("stories", c.GetService<ChatClientMetadata>()!.DefaultModelId);
                Assert.NotEmpty((await c.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 2 })).Text);
            }
        }

        Assert.Equal(new (string?, object?)[] { ("alice", "alice"), ("alice", "alice"), ("bob", "bob"), ("bob", "bob") }, seen);
    }

    [Fact]
    public async Task UseDistributedCache_OutsideThePersonalizationStage_LeaksBetweenUsers()
    {
        // The hazard the stage exists for, shown on the same setup: a cache keyed on the options as the app passed them.
        var cache = NewCache();
        await using ServiceProvider provider = Provider(configure: null);
        await provider.GetRequiredService<IPreferenceStore>().SetAsync("alice", Dog, 4f);

        string alice = await AskThrough(provider, "alice", c => c.AsBuilder().UseDistributedCache(cache).Build());
        string bob = await AskThrough(provider, "bob", c => c.AsBuilder().UseDistributedCache(cache).Build());
        Assert.Equal(alice, bob);

        string bobPersonalized = await AskThrough(provider, "bob", c => c.AsBuilder().UsePadPersonalization().UseDistributedCache(cache).Build());
        Assert.NotEqual(alice, bobPersonalized);
    }

    [Fact]
    public async Task UsePadPersonalization_Request_WritesUserResolvedSetAndHashIntoACopyOfTheOptions()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", Dog, 4f);
        var client = new PadChatClient(StoryModel.Model, new PadChatClientOptions { Defaults = { MaxOutputTokens = 8 } });
        var resolver = new PadPreferenceResolver(store);
        var seen = new List<ChatOptions?>();
        IChatClient pipeline = client.AsBuilder()
            .UsePadPersonalization(resolver, new PadUserContext("alice"))
            .Use((messages, options, next, cancellationToken) =>
            {
                seen.Add(options);
                return next(messages, options, cancellationToken);
            })
            .Build();

        ChatOptions given = new ChatOptions { AdditionalProperties = new() { ["app_key"] = 1 } }.WithPadPreferences(new PadPreference(Sad, 2f));
        string viaPipeline = (await pipeline.GetResponseAsync(Prompt, given)).Text;

        // The caller's options are untouched.
        Assert.Equal(new[] { "app_key", "pad_preferences" }, given.AdditionalProperties!.Keys);
        ChatOptions personalized = Assert.Single(seen)!;
        Assert.NotSame(given, personalized);
        Assert.Equal("alice", personalized.AdditionalProperties![PadOptionKeys.User]);
        Assert.Equal(1, personalized.AdditionalProperties["app_key"]);
        PadResolvedPreferences resolved = personalized.GetPadResolvedPreferences()!;
        Assert.Equal([new PadResolvedPreference(Dog, 4f, "stored"), new PadResolvedPreference(Sad, 2f, "request")], resolved.Preferences);
        Assert.Matches("^[0-9a-f]{32}$", resolved.Hash);

        // The hash follows the set: another weight, another hash; the same set, the same hash.
        ChatOptions again = await resolver.PersonalizeAsync(given, "alice");
        Assert.Equal(resolved.Hash, again.AdditionalProperties![PadOptionKeys.PreferencesHash]);
        await store.SetAsync("alice", Dog, 3f);
        Assert.NotEqual(resolved.Hash, (await resolver.PersonalizeAsync(given, "alice")).AdditionalProperties![PadOptionKeys.PreferencesHash]);

        // Personalized options pass a second stage unchanged, and the client applies exactly the resolved set.
        Assert.Same(personalized, await resolver.PersonalizeAsync(personalized, "alice"));
        Assert.Equal(viaPipeline, (await client.GetResponseAsync(Prompt, personalized)).Text);
        Assert.NotEqual(viaPipeline, (await client.GetResponseAsync(Prompt, given)).Text);

        // A stage never writes another user in.
        Assert.Equal("pad_user", (await Assert.ThrowsAsync<ArgumentException>(() => pipeline.GetResponseAsync(Prompt, new ChatOptions().WithPadUser("mallory")))).ParamName);
    }

    [Fact]
    public async Task UsePadPersonalization_AroundAnyChatClient_PersonalizesWithoutFindingTheLeaf()
    {
        // The stage depends on the resolver only: an app's own client (or a remote PadKernel) gets the resolved set too.
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", Dog, 4f);
        var seen = new List<ChatOptions?>();
        using IChatClient pipeline = new AnonymousChatClient(seen.Add).AsBuilder()
            .UsePadPersonalization(new PadPreferenceResolver(store), new PadUserContext("alice"))
            .Build();

        await pipeline.GetResponseAsync(Prompt);

        Assert.Equal(Dog, Assert.Single(Assert.Single(seen).GetPadResolvedPreferences()!.Preferences).Text);
    }

    [Fact]
    public async Task GetResponse_RequiredTools_AreRefusedThroughFunctionInvocationInBothPipelines()
    {
        AIFunction tool = AIFunctionFactory.Create(() => "sunny", "get_weather");
        var logs = new ListLoggerProvider();
        await using ServiceProvider provider = Provider(b => b.UseFunctionInvocation(), logs);
        using IServiceScope scope = provider.CreatePadUserScope("alice");
        IChatClient hooked = scope.ServiceProvider.GetRequiredService<IChatClient>();
        IChatClient byHand = PadModelRegistry.CreateChatClientBuilder().UseFunctionInvocation().Build(scope.ServiceProvider);

        foreach (IChatClient client in new[] { hooked, byHand })
        {
            NotSupportedException any = await Assert.ThrowsAsync<NotSupportedException>(() =>
                client.GetResponseAsync(Prompt, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny }));
            Assert.Contains("cannot call tools", any.Message, StringComparison.Ordinal);
            Assert.Contains("RequireAny", any.Message, StringComparison.Ordinal);

            NotSupportedException specific = await Assert.ThrowsAsync<NotSupportedException>(async () =>
            {
                await foreach (ChatResponseUpdate _ in client.GetStreamingResponseAsync(Prompt, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireSpecific("get_weather") }))
                {
                }
            });
            Assert.Contains("RequireSpecific(\"get_weather\")", specific.Message, StringComparison.Ordinal);
        }

        // Auto: answered in plain text with a warning naming the reason; None: answered silently.
        Assert.NotEmpty((await hooked.GetResponseAsync(Prompt, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.Auto, MaxOutputTokens = 4 })).Text);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Category == typeof(PadChatClient).FullName);
        Assert.Contains("cannot call tools", warning.Message, StringComparison.Ordinal);
        Assert.NotEmpty((await hooked.GetResponseAsync(Prompt, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.None, MaxOutputTokens = 4 })).Text);
        Assert.NotEmpty((await hooked.GetResponseAsync(Prompt, new ChatOptions { Tools = [tool], MaxOutputTokens = 4 })).Text);
        Assert.Equal(2, logs.Entries.Count(e => e.Level == LogLevel.Warning));
    }

    [Fact]
    public async Task GetResponse_StrictToolSupportWithAutoTools_IsRefused()
    {
        AIFunction tool = AIFunctionFactory.Create(() => "sunny", "get_weather");
        var strict = new PadChatClient(StoryModel.Model, new PadChatClientOptions { Defaults = { StrictToolSupport = true } });
        NotSupportedException error = await Assert.ThrowsAsync<NotSupportedException>(() =>
            strict.AsBuilder().UseFunctionInvocation().Build().GetResponseAsync(Prompt, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.Auto }));
        Assert.Contains("StrictToolSupport", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty((await strict.GetResponseAsync(Prompt, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.None, MaxOutputTokens = 4 })).Text);

        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", TestData.StoriesFolder, m => m.StrictToolSupport = true)).AddModelLoader<Llama2cModelLoader>();
        services.AddPadChatClient(lifetime: ServiceLifetime.Singleton);
        await using ServiceProvider provider = services.BuildServiceProvider();
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            provider.GetRequiredService<IChatClient>().GetResponseAsync(Prompt, new ChatOptions { Tools = [tool] }));
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task UseOpenTelemetry_GenAiSpan_CarriesPadAttributesAndTheMeterRecordsTimePerToken(bool streaming)
    {
        string source = "padkernel-test-" + Guid.NewGuid().ToString("N");
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using TracerProvider tracer = Sdk.CreateTracerProviderBuilder().AddSource(source).AddInMemoryExporter(spans).Build()!;
        using MeterProvider meter = Sdk.CreateMeterProviderBuilder().AddMeter(PadTelemetry.MeterName).AddInMemoryExporter(metrics).Build()!;
        await using ServiceProvider provider = Provider(b => b.UseOpenTelemetry(sourceName: source));
        await provider.GetRequiredService<IPreferenceStore>().SetAsync("alice", Dog, 4f);

        await AskThrough(provider, "alice", c => c, streaming);
        await AskThrough(provider, "bob", c => c, streaming);
        tracer.ForceFlush();
        meter.ForceFlush();

        Assert.Equal(2, spans.Count);
        Activity alice = spans[0];
        Activity bob = spans[1];
        Assert.Equal("chat", alice.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(1, alice.GetTagItem(PadTelemetry.PreferenceCount));
        Assert.Equal(new[] { 4.0 }, (double[])alice.GetTagItem(PadTelemetry.PreferenceWeights)!);
        Assert.Equal(1, alice.GetTagItem(PadTelemetry.ActiveRewards));
        Assert.Equal(10, alice.GetTagItem(PadTelemetry.TopK));
        Assert.Equal("self", alice.GetTagItem(PadTelemetry.RewardMode));

        // The changed-token count is what the decoder's own trace of the same request says.
        var pad = new PadChatClient(StoryModel.Model, new PadChatClientOptions { Defaults = { MaxOutputTokens = Tokens } });
        DecodeRequest request = pad.CreateDecodeRequest([new ChatMessage(ChatRole.User, Prompt)], new ChatOptions().WithPadPreferences(new PadPreference(Dog, 4f)));
        request.Options.IncludeTrace = true;
        int changed = PadDecoder.Generate(request).Trace.Count(s => s.Changed);
        Assert.True(changed > 0);
        Assert.Equal(changed, alice.GetTagItem(PadTelemetry.ChangedTokens));
        Assert.Equal(new PadResolvedPreferences([new PadResolvedPreference(Dog, 4f, "stored")]).Hash, alice.GetTagItem(PadTelemetry.PreferencesHash));
        Assert.Equal(new[] { "stored" }, (string[])alice.GetTagItem(PadTelemetry.PreferenceSources)!);

        Assert.Equal(0, bob.GetTagItem(PadTelemetry.PreferenceCount));
        Assert.Equal(0, bob.GetTagItem(PadTelemetry.ChangedTokens));

        Metric duration = Assert.Single(metrics, m => m.Name == PadTelemetry.TokenDurationMetric);
        Assert.Equal("s", duration.Unit);
        var points = new List<(int Rewards, long Count, double Sum)>();
        foreach (ref readonly MetricPoint point in duration.GetMetricPoints())
        {
            int rewards = 0;
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                rewards = tag.Key == PadTelemetry.ActiveRewards ? Convert.ToInt32(tag.Value, System.Globalization.CultureInfo.InvariantCulture) : rewards;
            }

            points.Add((rewards, point.GetHistogramCount(), point.GetHistogramSum()));
        }

        Assert.Contains(points, p => p.Rewards == 1 && p.Count >= 1 && p.Sum > 0);
        Assert.Contains(points, p => p.Rewards == 0 && p.Count >= 1 && p.Sum > 0);
    }

    private static async Task CheckCacheIsolation(ServiceProvider provider, Func<IServiceScope, IChatClient> pipeline, CallCounter misses, bool streaming)
    {
        IPreferenceStore store = provider.GetRequiredService<IPreferenceStore>();
        await store.SetAsync("alice", Dog, 4f);

        string alice = await Ask(provider, "alice", pipeline, streaming);
        string bob = await Ask(provider, "bob", pipeline, streaming);
        Assert.Equal(2, misses.Count);
        Assert.NotEqual(alice, bob);
        Assert.Equal(await Direct([]), bob);
        Assert.Equal(await Direct([new Preference(Dog, 4f)]), alice);

        // Same user, same preferences: served from the cache.
        Assert.Equal(alice, await Ask(provider, "alice", pipeline, streaming));
        Assert.Equal(bob, await Ask(provider, "bob", pipeline, streaming));
        Assert.Equal(2, misses.Count);

        // A changed preference set is a new key: a fresh answer, not the stale one.
        await store.SetAsync("alice", Sad, 3f);
        string changed = await Ask(provider, "alice", pipeline, streaming);
        Assert.Equal(3, misses.Count);
        Assert.Equal(await Direct([new Preference(Dog, 4f), new Preference(Sad, 3f)]), changed);
        Assert.NotEqual(alice, changed);

        // Back to the first set: its cached answer is valid again.
        await store.RemoveAsync("alice", Sad);
        Assert.Equal(alice, await Ask(provider, "alice", pipeline, streaming));
        Assert.Equal(3, misses.Count);
    }

    private static async Task<string> Ask(ServiceProvider provider, string user, Func<IServiceScope, IChatClient> pipeline, bool streaming = false)
    {
        using IServiceScope scope = provider.CreatePadUserScope(user);
        IChatClient client = pipeline(scope);
        if (!streaming)
        {
            return (await client.GetResponseAsync(Prompt)).Text;
        }

        var text = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }

    private static Task<string> AskThrough(ServiceProvider provider, string user, Func<IChatClient, IChatClient> wrap, bool streaming = false) =>
        Ask(provider, user, scope => wrap(scope.ServiceProvider.GetRequiredService<IChatClient>()), streaming);

    private static async Task<string> Direct(IReadOnlyList<Preference> preferences)
    {
        var client = new PadChatClient(StoryModel.Model, new PadChatClientOptions { Defaults = { MaxOutputTokens = Tokens } });
        ChatOptions options = new ChatOptions().WithPadPreferences(preferences.Select(p => new PadPreference(p.Text, p.Weight)));
        return (await client.GetResponseAsync(Prompt, options)).Text;
    }

    // The one line a hand-built pipeline needs: UsePadPersonalization before the cache.
    private static Func<IServiceScope, IChatClient> HandBuilt(IDistributedCache cache, CallCounter misses) =>
        scope => scope.ServiceProvider.GetRequiredService<IChatClient>().AsBuilder()
            .UsePadPersonalization()
            .UseDistributedCache(cache)
            .Use(inner => new CountingChatClient(inner, misses))
            .Build(scope.ServiceProvider);

    private static MemoryDistributedCache NewCache() => new(Options.Create(new MemoryDistributedCacheOptions()));

    private static ServiceProvider Provider(Action<ChatClientBuilder>? configure, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        if (logs is not null)
        {
            services.AddLogging(b => b.AddProvider(logs));
        }

        services.AddPadKernel(o => o.AddModel("stories", TestData.StoriesFolder, m => m.MaxOutputTokens = Tokens))
            .AddModelLoader<Llama2cModelLoader>();
        ChatClientBuilder client = services.AddPadChatClient();
        ChatClientBuilder keyed = services.AddKeyedPadChatClient("stories");
        configure?.Invoke(client);
        configure?.Invoke(keyed);

        return services.BuildServiceProvider(validateScopes: true);
    }

    private sealed class ObservingChatClient(IChatClient inner, Action<ChatOptions?> observe) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            observe(options);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }

    private sealed class AnonymousChatClient(Action<ChatOptions?> observe) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            observe(options);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
