using Microsoft.Extensions.AI;
using PadKernel.Alignment;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI.Tests;

public sealed class PadPreferenceResolverTests
{
    private const string Prompt = "Once upon a time";
    private const string Dog = "The story is about a dog named Max.";
    private const string Sad = "The story is sad. Everyone cried.";

    private static ChatOptions Options() => new() { MaxOutputTokens = 30 };

    private static IChatClient Personalized(IPreferenceStore store, string? user) =>
        new PadChatClient(StoryModel.Model).AsBuilder()
            .UsePadPersonalization(new PadPreferenceResolver(store), user is null ? null : new PadUserContext(user))
            .Build();

    private static async Task<string> DirectAsync(params PadPreference[] preferences) =>
        (await new PadChatClient(StoryModel.Model).GetResponseAsync(Prompt, Options().WithPadPreferences(preferences))).Text;

    [Fact]
    public async Task GetResponse_BoundUserWithStoredPreferences_AppliesThemWithNothingPassed()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", Dog, 4f);

        string stored = (await Personalized(store, "alice").GetResponseAsync(Prompt, Options())).Text;

        Assert.Equal(await DirectAsync(new PadPreference(Dog, 4f)), stored);
        Assert.NotEqual(await DirectAsync(), stored);
    }

    [Fact]
    public async Task ResolveAsync_RequestPreferenceWithStoredText_ReplacesTheStoredOne()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "Be kind.", 1f);
        await store.SetAsync("alice", "Be brief.", 1f);
        var request = new PadRequestOptions { Preferences = [new PadPreference("BE BRIEF."), new PadPreference("Be funny.", 2f)], Weight = 0.5f };

        PadResolvedPreferences resolved = await new PadPreferenceResolver(store).ResolveAsync(request, boundUser: "alice");

        Assert.Equal(
            [new PadResolvedPreference("Be kind.", 1f, "stored"), new PadResolvedPreference("BE BRIEF.", 0.5f, "request"), new PadResolvedPreference("Be funny.", 2f, "request")],
            resolved.Preferences);
    }

    [Fact]
    public async Task ResolveAsync_Layers_ApplyBetweenStoredAndRequestAndLaterOnesWin()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "Be kind.", 1f);
        await store.SetAsync("alice", "Be formal.", 1f);
        var request = new PadRequestOptions
        {
            User = "alice",
            Layers =
            [
                new PadPreferenceLayer("agent", [new PadPreference("Be formal."), new PadPreference("Be concise.")], Weight: 2f),
                new PadPreferenceLayer("session", [new PadPreference("be concise.", 3f)]),
            ],
            Preferences = [new PadPreference("Be kind.", 0.5f)],
        };

        PadResolvedPreferences resolved = await new PadPreferenceResolver(store).ResolveAsync(request);

        Assert.Equal(
            [new PadResolvedPreference("Be formal.", 2f, "agent"), new PadResolvedPreference("be concise.", 3f, "session"), new PadResolvedPreference("Be kind.", 0.5f, "request")],
            resolved.Preferences);
    }

    [Fact]
    public async Task GetResponse_StoredPlusLayerThroughThePipeline_EqualsTheSamePreferencesGivenDirectly()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", Dog, 4f);
        ChatOptions options = Options().WithPadPreferenceLayer(new PadPreferenceLayer("agent", [new PadPreference(Sad)], Weight: 3f));

        string layered = (await Personalized(store, "alice").GetResponseAsync(Prompt, options)).Text;

        Assert.Equal(await DirectAsync(new PadPreference(Dog, 4f), new PadPreference(Sad, 3f)), layered);
    }

    [Fact]
    public async Task ResolveAsync_UseStoredFalse_LeavesStoredPreferencesOut()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "Be kind.", 1f);
        var resolver = new PadPreferenceResolver(store);

        PadResolvedPreferences only = await resolver.ResolveAsync(new PadRequestOptions { Preferences = [new PadPreference("Only this.")], UseStoredPreferences = false }, "alice");
        Assert.Equal("Only this.", Assert.Single(only.Preferences).Text);
        Assert.Empty((await resolver.ResolveAsync(PadRequestOptions.Read(new Dictionary<string, object?> { ["pad_use_stored"] = SemanticKernelShapes.FromJson("false") }), "alice")).Preferences);
        Assert.Single((await resolver.ResolveAsync(PadRequestOptions.Empty, "alice")).Preferences);
    }

    [Fact]
    public async Task ResolveAsync_UnboundCaller_AppliesTheStoredPreferencesOfPadUser()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "Be kind.", 1f);
        await store.SetAsync("bob", "Be loud.", 1f);
        var resolver = new PadPreferenceResolver(store);

        Assert.Equal("Be kind.", Assert.Single((await resolver.ResolveAsync(new PadRequestOptions { User = "alice" })).Preferences).Text);
        Assert.Equal("Be loud.", Assert.Single((await resolver.ResolveAsync(PadRequestOptions.Read(new Dictionary<string, object?> { ["pad_user"] = SemanticKernelShapes.FromJson("\"bob\"") }))).Preferences).Text);
        Assert.Empty((await resolver.ResolveAsync(PadRequestOptions.Empty)).Preferences);
    }

    [Fact]
    public async Task GetResponse_BoundToOneUserNamingAnother_ThrowsNamingPadUser()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("bob", "Be loud.", 1f);
        var resolver = new PadPreferenceResolver(store);

        Assert.Empty((await resolver.ResolveAsync(new PadRequestOptions { User = "alice" }, "alice")).Preferences);
        ArgumentException error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Personalized(store, "alice").GetResponseAsync(Prompt, Options().WithPadUser("bob")));
        Assert.Equal("pad_user", error.ParamName);
    }

    [Fact]
    public async Task PersonalizeAsync_Request_WritesUserResolvedSetAndHashIntoACopy()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", Dog, 4f);
        ChatOptions given = Options().WithPadPreferences(Sad);

        ChatOptions personalized = await new PadPreferenceResolver(store).PersonalizeAsync(given, "alice");

        PadResolvedPreferences resolved = personalized.GetPadResolvedPreferences()!;
        Assert.Equal([new PadResolvedPreference(Dog, 4f, "stored"), new PadResolvedPreference(Sad, null, "request")], resolved.Preferences);
        Assert.Equal(resolved.Hash, personalized.AdditionalProperties![PadOptionKeys.PreferencesHash]);
        Assert.Equal("alice", personalized.AdditionalProperties[PadOptionKeys.User]);
        Assert.Null(given.GetPadResolvedPreferences());
        Assert.Same(personalized, await new PadPreferenceResolver(store).PersonalizeAsync(personalized, "alice"));
    }

    [Fact]
    public void Hash_SameTextsAndWeights_AreEqualAndAnyChangeDiffers()
    {
        static string Hash(params PadResolvedPreference[] preferences) => new PadResolvedPreferences(preferences).Hash;

        Assert.Equal(Hash(new PadResolvedPreference(Dog, 4f, "stored")), Hash(new PadResolvedPreference(Dog, 4f, "agent")));
        Assert.NotEqual(Hash(new PadResolvedPreference(Dog, 4f, "stored")), Hash(new PadResolvedPreference(Dog, 3f, "stored")));
        Assert.NotEqual(Hash(new PadResolvedPreference(Dog, 4f, "stored")), Hash(new PadResolvedPreference(Dog, null, "stored")));
        Assert.NotEqual(Hash(new PadResolvedPreference(Dog, 1f, "s"), new PadResolvedPreference(Sad, 1f, "s")), Hash(new PadResolvedPreference(Sad, 1f, "s"), new PadResolvedPreference(Dog, 1f, "s")));
        Assert.Equal(32, Hash().Length);
    }
}
