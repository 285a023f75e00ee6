using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;
using static PadKernel.SemanticKernel.Tests.StoryKernel;

namespace PadKernel.SemanticKernel.Tests;

public sealed class PluginAndArgumentsTests
{
    private static ServiceProvider Host()
    {
        var services = new ServiceCollection();
        services.AddStoryModel();
        services.AddKernel().AddPadChatCompletion();
        return services.BuildServiceProvider(validateScopes: true);
    }

    private static async Task<string> StoryAsync(IServiceProvider provider, string user)
    {
        using IServiceScope scope = provider.CreatePadUserScope(user);
        return (await scope.ServiceProvider.GetRequiredService<Kernel>().InvokePromptAsync(Prompt)).ToString();
    }

    [Fact]
    public async Task PreferencesPlugin_Remember_ChangesTheNextAnswerForItsUserOnly()
    {
        await using ServiceProvider provider = Host();
        string aliceBefore = await StoryAsync(provider, "alice");
        string bobBefore = await StoryAsync(provider, "bob");
        Assert.Equal(aliceBefore, bobBefore);

        using (IServiceScope scope = provider.CreatePadUserScope("alice"))
        {
            Kernel kernel = scope.ServiceProvider.GetRequiredService<Kernel>();
            KernelPlugin plugin = kernel.ImportPluginFromType<PadPreferencesPlugin>("preferences");
            Assert.Equal([PreferenceTools.RememberName, PreferenceTools.ForgetName, PreferenceTools.ListName], plugin.Select(f => f.Name));
            Assert.All(plugin, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
            Assert.Contains(plugin[PreferenceTools.RememberName].Metadata.Parameters, p => p.Name == "text" && p.IsRequired);

            await kernel.InvokeAsync(plugin[PreferenceTools.RememberName], new KernelArguments { ["text"] = Dog, ["weight"] = "4" });
            IReadOnlyList<PreferenceInfo> listed = (await kernel.InvokeAsync(plugin[PreferenceTools.ListName])).GetValue<IReadOnlyList<PreferenceInfo>>()!;
            Assert.Equal((Dog, 4f), (Assert.Single(listed).Text, listed[0].Weight));
        }

        string aliceAfter = await StoryAsync(provider, "alice");
        Assert.NotEqual(aliceBefore, aliceAfter);
        Assert.Equal(bobBefore, await StoryAsync(provider, "bob"));
        Assert.Empty(await provider.GetRequiredService<IPreferenceStore>().ListAsync("bob"));

        using (IServiceScope scope = provider.CreatePadUserScope("alice"))
        {
            Kernel kernel = scope.ServiceProvider.GetRequiredService<Kernel>();
            kernel.Plugins.AddFromObject(scope.ServiceProvider.GetRequiredService<PadPreferencesPlugin>(), "preferences");
            Assert.True((await kernel.InvokeAsync("preferences", PreferenceTools.ForgetName, new KernelArguments { ["textOrId"] = Dog })).GetValue<bool>());
        }

        Assert.Equal(aliceBefore, await StoryAsync(provider, "alice"));
    }

    [Fact]
    public async Task PreferencesPlugin_WithoutAUser_RefusesToRun()
    {
        await using ServiceProvider provider = Host();
        using IServiceScope scope = provider.CreateScope();
        Kernel kernel = scope.ServiceProvider.GetRequiredService<Kernel>();
        kernel.ImportPluginFromType<PadPreferencesPlugin>("preferences");
        await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.InvokeAsync("preferences", PreferenceTools.ListName));
    }

    [Fact]
    public async Task ArgumentsFilter_PadArguments_PersonalizeAPromptFunctionWrittenWithoutPadKernel()
    {
        await using ServiceProvider provider = Host();
        await provider.GetRequiredService<IPreferenceStore>().SetAsync("alice", Dog, 4f);
        Kernel kernel = provider.GetRequiredService<Kernel>();
        KernelFunction story = kernel.CreateFunctionFromPrompt("{{$beginning}}", new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 24 } });
        var beginning = new KernelArguments { ["beginning"] = Prompt };

        string plain = (await story.InvokeAsync(kernel, beginning)).ToString();
        string asAlice = (await story.InvokeAsync(kernel, new KernelArguments(beginning) { [PadOptionKeys.User] = "alice" })).ToString();
        string withPreference = (await story.InvokeAsync(kernel, new KernelArguments(beginning) { [PadOptionKeys.Preferences] = Dog, [PadOptionKeys.Weight] = 4 })).ToString();
        Assert.NotEqual(plain, asAlice);
        Assert.Equal(await StoryAsync(provider, "alice"), asAlice);
        Assert.Equal(asAlice, withPreference);

        // The function's own settings are untouched, so the next call without arguments is plain again.
        Assert.Equal(plain, (await story.InvokeAsync(kernel, beginning)).ToString());

        // Typed settings on the call are kept and the arguments add to them.
        var typed = new PadPromptExecutionSettings { MaxTokens = 24, UseStoredPreferences = false };
        Assert.Equal(plain, (await kernel.InvokePromptAsync(Prompt, new KernelArguments(typed) { [PadOptionKeys.User] = "alice" })).ToString());

        ArgumentException unknown = await Assert.ThrowsAnyAsync<ArgumentException>(() => story.InvokeAsync(kernel, new KernelArguments(beginning) { ["pad_usr"] = "alice" }));
        Assert.Equal("pad_usr", unknown.ParamName);
    }
}
