using Microsoft.Extensions.AI;
using PadKernel.Alignment;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI.Tests;

public sealed class StoredPreferencesTests
{
    private const string Prompt = "Once upon a time";

    private static ChatOptions With(params (string Key, object? Value)[] properties)
    {
        var options = new ChatOptions { MaxOutputTokens = 30, AdditionalProperties = [] };
        foreach ((string key, object? value) in properties)
        {
            options.AdditionalProperties[key] = value;
        }

        return options;
    }

    [Fact]
    public async Task A_bound_users_stored_preferences_apply_with_nothing_passed()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "The story is about a dog named Max.", 4f);
        var alice = new PadChatClient(StoryModel.Model, null, store, new PadUserContext("alice"));
        var anonymous = new PadChatClient(StoryModel.Model);

        string stored = (await alice.GetResponseAsync(Prompt, With())).Text;
        string explicitly = (await anonymous.GetResponseAsync(Prompt, With(("pad_preferences", "The story is about a dog named Max."), ("pad_weight", 4.0)))).Text;
        string plain = (await anonymous.GetResponseAsync(Prompt, With())).Text;

        Assert.Equal(explicitly, stored);
        Assert.NotEqual(plain, stored);
    }

    [Fact]
    public async Task Request_preferences_merge_with_stored_ones_and_win_on_the_same_text()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "Be kind.", 1f);
        await store.SetAsync("alice", "Be brief.", 1f);
        var client = new PadChatClient(StoryModel.Model, null, store, new PadUserContext("alice"));

        IReadOnlyList<Preference> merged = await client.ResolvePreferencesAsync(With(("pad_preferences", new object[] { "BE BRIEF.", new Dictionary<string, object?> { ["text"] = "Be funny.", ["weight"] = 2.0 } }), ("pad_weight", 0.5)));

        Assert.Equal([new Preference("Be kind.", 1f), new Preference("BE BRIEF.", 0.5f), new Preference("Be funny.", 2f)], merged);
    }

    [Fact]
    public async Task A_request_can_opt_out_of_stored_preferences()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "Be kind.", 1f);
        var client = new PadChatClient(StoryModel.Model, null, store, new PadUserContext("alice"));

        Assert.Equal([new Preference("Only this.")], await client.ResolvePreferencesAsync(With(("pad_preferences", "Only this."), ("pad_use_stored", false))));
        Assert.Empty(await client.ResolvePreferencesAsync(With(("pad_use_stored", SemanticKernelShapes.FromJson("false")))));
        Assert.Single(await client.ResolvePreferencesAsync(With()));
    }

    [Fact]
    public async Task An_unbound_client_applies_the_stored_preferences_of_pad_user()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("alice", "Be kind.", 1f);
        await store.SetAsync("bob", "Be loud.", 1f);
        var client = new PadChatClient(StoryModel.Model, null, store);

        Assert.Equal("Be kind.", Assert.Single(await client.ResolvePreferencesAsync(With(("pad_user", "alice")))).Text);
        Assert.Equal("Be loud.", Assert.Single(await client.ResolvePreferencesAsync(With(("pad_user", SemanticKernelShapes.FromJson("\"bob\""))))).Text);
        Assert.Empty(await client.ResolvePreferencesAsync(With()));
    }

    [Fact]
    public async Task A_client_bound_to_one_user_refuses_another_users_id()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("bob", "Be loud.", 1f);
        var alice = new PadChatClient(StoryModel.Model, null, store, new PadUserContext("alice"));

        Assert.Empty(await alice.ResolvePreferencesAsync(With(("pad_user", "alice"))));
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => alice.GetResponseAsync(Prompt, With(("pad_user", "bob"))));
        Assert.Equal("pad_user", error.ParamName);
    }
}
