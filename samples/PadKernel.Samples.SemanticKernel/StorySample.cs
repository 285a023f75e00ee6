using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using PadKernel.SemanticKernel;

namespace PadKernel.Samples.SemanticKernel;

/// <summary>Runs the sample; returns 0 when each user's story differs from the guest's and from the other user's.</summary>
public static class StorySample
{
    // A prompt function as an app would keep it in a file: nothing in it knows about users; PadKernel's options sit in
    // the execution settings beside the usual ones.
    private const string StoryFunction = """
        {
          "name": "story",
          "description": "Continues the beginning of a story.",
          "template": "{{$beginning}}",
          "template_format": "semantic-kernel",
          "input_variables": [{ "name": "beginning", "is_required": true }],
          "execution_settings": {
            "default": { "max_tokens": 40, "temperature": 0, "pad_top_k": 10 }
          }
        }
        """;

    /// <param name="modelsFolder">A folder holding <c>stories260K/</c>; null for $PADKERNEL_MODELS, else the bundled copy.</param>
    /// <param name="output">Where the sample writes.</param>
    public static async Task<int> RunAsync(string? modelsFolder, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string[] tried = [.. new[] { modelsFolder, Environment.GetEnvironmentVariable("PADKERNEL_MODELS"), Path.Combine(AppContext.BaseDirectory, "models") }
            .Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => Path.Combine(f!, "stories260K"))];
        string? modelFolder = tried.FirstOrDefault(Directory.Exists);
        if (modelFolder is null)
        {
            await output.WriteLineAsync($"stories260K not found (looked in {string.Join(", ", tried)}). Pass a models folder that holds it.");
            return 1;
        }

        // The host's container, validating scopes as ASP.NET Core does in Development: the model (a singleton),
        // preferences (in memory here), the Kernel and PadKernel as its chat completion service.
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", modelFolder, m => m.ChatTemplate = "raw"))
            .AddModelLoader<Llama2cModelLoader>();
        services.AddKernel().AddPadChatCompletion();
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        KernelFunction story = KernelFunctionFactory.CreateFromPrompt(PromptTemplateConfig.FromJson(StoryFunction));
        var beginning = new KernelArguments { ["beginning"] = "Once upon a time" };

        // A guest: the kernel from the root provider acts for nobody.
        Kernel guestKernel = provider.GetRequiredService<Kernel>();
        string guest = (await story.InvokeAsync(guestKernel, beginning)).ToString();
        await output.WriteLineAsync($"guest> {guest}");

        // Each user tells the agent a preference through the plugin, in their own scope (one request each).
        Dictionary<string, string> preferences = new()
        {
            ["alice"] = "The story is about a dog named Max.",
            ["bob"] = "The story is sad. Everyone cried.",
        };
        foreach ((string user, string preference) in preferences)
        {
            using IServiceScope scope = provider.CreatePadUserScope(user);
            Kernel kernel = scope.ServiceProvider.GetRequiredService<Kernel>();
            kernel.Plugins.AddFromObject(scope.ServiceProvider.GetRequiredService<PadPreferencesPlugin>(), "preferences");
            await kernel.InvokeAsync("preferences", PreferenceTools.RememberName, new KernelArguments { ["text"] = preference, ["weight"] = 4f });
            FunctionResult listed = await kernel.InvokeAsync("preferences", PreferenceTools.ListName);
            await output.WriteLineAsync($"{user} remembered: {string.Join("; ", listed.GetValue<IReadOnlyList<PreferenceInfo>>()!.Select(p => $"{p.Text} (w={p.Weight})"))}");
        }

        // Later requests: in a user's scope the same prompt function writes that user's story ...
        var stories = new Dictionary<string, string>();
        foreach (string user in preferences.Keys)
        {
            using IServiceScope scope = provider.CreatePadUserScope(user);
            stories[user] = (await story.InvokeAsync(scope.ServiceProvider.GetRequiredService<Kernel>(), beginning)).ToString();
            await output.WriteLineAsync($"{user}> {stories[user]}");
        }

        // ... and on a shared kernel the user travels as a kernel argument (set from the app's signed-in user).
        string viaArgument = (await story.InvokeAsync(guestKernel, new KernelArguments(beginning) { [PadOptionKeys.User] = "alice" })).ToString();
        await output.WriteLineAsync($"alice (pad_user argument)> {viaArgument}");

        bool personalized = stories.Values.All(s => s != guest) && stories["alice"] != stories["bob"] && viaArgument == stories["alice"];
        await output.WriteLineAsync(personalized ? "Each user got their own story." : "Expected each user's story to differ from the guest's.");
        return personalized ? 0 : 2;
    }
}
