using System.Text.Json;
using Microsoft.Extensions.AI;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI.Tests;

public sealed class PreferenceToolsTests
{
    [Fact]
    public async Task PreferenceTools_Calls_ManageOnlyTheirUsersPreferences()
    {
        var store = new InMemoryPreferenceStore();
        await store.SetAsync("bob", "Talk about dogs.", 1f);
        var tools = new PreferenceTools(store, "alice");

        Assert.Equal(["remember_preference", "forget_preference", "list_preferences"], tools.Functions.Select(f => f.Name));
        Assert.All(tools.Functions, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
        Assert.Contains("text", tools.Remember.JsonSchema.GetRawText(), StringComparison.Ordinal);

        // Arguments arrive as the model sends them: JSON values.
        await tools.Remember.InvokeAsync(new AIFunctionArguments { ["text"] = JsonDocument.Parse("\"Keep answers short.\"").RootElement, ["weight"] = JsonDocument.Parse("0.5").RootElement });
        await tools.Remember.InvokeAsync(new AIFunctionArguments { ["text"] = "Use simple words." });
        StoredPreference shortAnswers = (await store.ListAsync("alice"))[0];
        Assert.Equal(("Keep answers short.", 0.5f), (shortAnswers.Text, shortAnswers.Weight));
        Assert.Equal(1f, (await store.ListAsync("alice"))[1].Weight);

        object? listed = await tools.List.InvokeAsync();
        string json = JsonSerializer.Serialize(listed);
        Assert.Contains("Keep answers short.", json, StringComparison.Ordinal);
        Assert.DoesNotContain("dogs", json, StringComparison.Ordinal);

        // Forgetting Bob's preference through Alice's tools does nothing.
        Assert.Equal("false", JsonSerializer.Serialize(await tools.Forget.InvokeAsync(new AIFunctionArguments { ["textOrId"] = "Talk about dogs." })));
        Assert.Single(await store.ListAsync("bob"));
        Assert.Equal("true", JsonSerializer.Serialize(await tools.Forget.InvokeAsync(new AIFunctionArguments { ["textOrId"] = "keep answers short." })));
        Assert.Equal(["Use simple words."], (await store.ListAsync("alice")).Select(p => p.Text));
    }

    [Fact]
    public async Task PreferenceTools_WithoutACurrentUser_RefuseToRun()
    {
        var tools = new PreferenceTools(new InMemoryPreferenceStore(), new PadUserContext());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await tools.List.InvokeAsync());
    }

    [Fact]
    public void PadUserContext_SetToAnotherUser_Throws()
    {
        var context = new PadUserContext("alice");
        context.UserId = "alice";
        Assert.Throws<InvalidOperationException>(() => context.UserId = "bob");
    }
}
