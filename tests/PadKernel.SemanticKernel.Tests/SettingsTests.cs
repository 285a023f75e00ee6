using System.Text.Json;
using Microsoft.SemanticKernel;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;
using static PadKernel.SemanticKernel.Tests.StoryKernel;

namespace PadKernel.SemanticKernel.Tests;

public sealed class SettingsTests
{
    private const string SettingsJson = """
        {
          "max_tokens": 24,
          "pad_preferences": [{ "text": "The story is about a dog named Max.", "weight": 3 }, "The story is sad. Everyone cried."],
          "pad_weight": 1.5,
          "pad_top_k": 8,
          "pad_mode": "self",
          "pad_use_stored": false
        }
        """;

    private static PadPromptExecutionSettings Typed() => new()
    {
        MaxTokens = 24,
        Preferences = [new(Dog, 3f), new(Sad)],
        PreferenceWeight = 1.5f,
        PadTopK = 8,
        RewardMode = RewardMode.SelfContrast,
        UseStoredPreferences = false,
    };

    [Fact]
    public async Task InvokePrompt_JsonConfigAndTypedSettings_GenerateTheSameText()
    {
        Kernel kernel = Build();
        string typed = (await kernel.InvokePromptAsync(Prompt, new KernelArguments(Typed()))).ToString();
        Assert.NotEqual((await kernel.InvokePromptAsync(Prompt)).ToString(), typed);

        // The JSON deserialized as the typed settings, and as SK's base settings (pad_* keys in ExtensionData).
        PadPromptExecutionSettings fromJson = JsonSerializer.Deserialize<PadPromptExecutionSettings>(SettingsJson)!;
        Assert.Equal(Typed().Preferences, fromJson.Preferences);
        Assert.Equal((1.5f, 8, RewardMode.SelfContrast, false), (fromJson.PreferenceWeight, fromJson.PadTopK, fromJson.RewardMode, fromJson.UseStoredPreferences));
        PromptExecutionSettings untyped = JsonSerializer.Deserialize<PromptExecutionSettings>(SettingsJson)!;
        Assert.Equal(typed, (await kernel.InvokePromptAsync(Prompt, new KernelArguments(fromJson))).ToString());
        Assert.Equal(typed, (await kernel.InvokePromptAsync(Prompt, new KernelArguments(untyped))).ToString());

        // A prompt function defined in JSON, as apps keep them in files.
        string config = $$"""
            { "name": "story", "template": "{{Prompt}}", "execution_settings": { "default": {{SettingsJson}} } }
            """;
        KernelFunction function = kernel.CreateFunctionFromPrompt(PromptTemplateConfig.FromJson(config));
        Assert.Equal(typed, (await function.InvokeAsync(kernel)).ToString());

        // The typed settings serialize back to the same pad_* names, and FromExecutionSettings reads them from ExtensionData.
        string written = JsonSerializer.Serialize(Typed());
        Assert.Contains("\"pad_preferences\":[{\"text\":\"The story is about a dog named Max.\",\"weight\":3},{\"text\":\"The story is sad. Everyone cried.\"}]", written, StringComparison.Ordinal);
        Assert.Contains("\"pad_mode\":\"self\"", written, StringComparison.Ordinal);
        PadPromptExecutionSettings converted = PadPromptExecutionSettings.FromExecutionSettings(untyped);
        Assert.Equal(Typed().Preferences, converted.Preferences);
        Assert.Equal((24, 8, false), (converted.MaxTokens, converted.PadTopK, converted.UseStoredPreferences));
        Assert.Null(converted.ExtensionData?.Keys.FirstOrDefault(k => k.StartsWith("pad_", StringComparison.Ordinal)));

        // Other connectors' keys and the function choice behavior come along.
        untyped.ExtensionData!["frequency_penalty"] = 0.5;
        untyped.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto();
        converted = PadPromptExecutionSettings.FromExecutionSettings(untyped);
        Assert.Same(untyped.FunctionChoiceBehavior, converted.FunctionChoiceBehavior);
        Assert.Equal(0.5, ((JsonElement)converted.ExtensionData!["frequency_penalty"]).GetDouble());
    }

    [Fact]
    public void FromExecutionSettings_TypedSettings_ReturnsThemAndCloneAndFreezeBehave()
    {
        PadPromptExecutionSettings typed = Typed();
        Assert.Same(typed, PadPromptExecutionSettings.FromExecutionSettings(typed));
        Assert.NotNull(PadPromptExecutionSettings.FromExecutionSettings(null));

        var clone = (PadPromptExecutionSettings)typed.Clone();
        Assert.Equal(JsonSerializer.Serialize(typed), JsonSerializer.Serialize(clone));

        typed.Freeze();
        Assert.Throws<InvalidOperationException>(() => typed.User = "alice");
        Assert.Throws<InvalidOperationException>(() => typed.Preferences = [new("More.")]);
        ((PadPromptExecutionSettings)typed.Clone()).User = "alice";
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        // An unknown pad_* key (a typo).
        { """{ "pad_wieght": 2, "pad_preferences": "The story is sad." }""", "pad_wieght" },
        // Preferences nested one level too deep.
        { """{ "extension_data": { "pad_preferences": "The story is sad." } }""", "pad_preferences" },
        // A misspelled property inside a preference object.
        { """{ "pad_preferences": [{ "text": "The story is sad.", "wieght": 2 }] }""", "wieght" },
        // A value of the wrong shape.
        { """{ "pad_top_k": 0 }""", "pad_top_k" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task InvokePrompt_MistakeInSettings_ThrowsNamingItOnEveryPath(string json, string named)
    {
        Kernel kernel = Build();
        PromptExecutionSettings untyped = JsonSerializer.Deserialize<PromptExecutionSettings>(json)!;

        ArgumentException invoked = await Assert.ThrowsAnyAsync<ArgumentException>(() => kernel.InvokePromptAsync(Prompt, new KernelArguments(untyped)));
        Assert.Contains(named, invoked.Message, StringComparison.Ordinal);

        ArgumentException converted = Assert.ThrowsAny<ArgumentException>(() => PadPromptExecutionSettings.FromExecutionSettings(untyped));
        Assert.Contains(named, converted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokePrompt_PadKeyInTypedSettingsExtensionData_IsRefused()
    {
        var settings = new PadPromptExecutionSettings { User = "alice", ExtensionData = new Dictionary<string, object> { [PadOptionKeys.User] = "bob" } };
        ArgumentException refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => Build().InvokePromptAsync(Prompt, new KernelArguments(settings)));
        Assert.Equal(PadOptionKeys.User, refused.ParamName);
        Assert.Equal(PadOptionKeys.TopK, Assert.ThrowsAny<ArgumentException>(() => new PadPromptExecutionSettings { PadTopK = 0 }).ParamName);
        Assert.Equal(PadOptionKeys.Preferences, Assert.ThrowsAny<ArgumentException>(() => new PadPromptExecutionSettings { Preferences = [new(" ")] }).ParamName);
    }
}
