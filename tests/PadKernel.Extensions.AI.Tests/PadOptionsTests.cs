using System.Text.Json;
using Microsoft.Extensions.AI;
using PadKernel.Alignment;

namespace PadKernel.Extensions.AI.Tests;

public sealed class PadOptionsTests
{
    private static PadRequestOptions Read(params (string Key, object? Value)[] entries)
    {
        var properties = new AdditionalPropertiesDictionary();
        foreach ((string key, object? value) in entries)
        {
            properties[key] = value;
        }

        return PadRequestOptions.Read(properties);
    }

    [Fact]
    public void GetPadOptions_NoProperties_SetsNothing()
    {
        Assert.Equal(PadRequestOptions.Empty, ((ChatOptions?)null).GetPadOptions());
        Assert.Equal(PadRequestOptions.Empty, new ChatOptions().GetPadOptions());
        Assert.Null(new ChatOptions().GetPadResolvedPreferences());
    }

    [Fact]
    public void WithPadOptions_EveryOption_RoundTripsThroughGetPadOptions()
    {
        var pad = new PadRequestOptions
        {
            Preferences = [new PadPreference("Be brief.", 0.5f), new PadPreference("Be kind.")],
            Weight = 2f,
            TopK = 7,
            Mode = RewardMode.RewardModel,
            User = "alice",
            UseStoredPreferences = false,
            Layers = [new PadPreferenceLayer("agent", [new PadPreference("Be formal.")], 1.5f)],
        };

        PadRequestOptions read = new ChatOptions().WithPadOptions(pad).GetPadOptions();

        Assert.Equal(pad.Preferences, read.Preferences);
        Assert.Equal((2f, 7, RewardMode.RewardModel, "alice", false), (read.Weight, read.TopK, read.Mode, read.User, read.UseStoredPreferences));
        PadPreferenceLayer layer = Assert.Single(read.Layers!);
        Assert.Equal(("agent", 1.5f, "Be formal."), (layer.Source, layer.Weight, Assert.Single(layer.Preferences).Text));
    }

    [Fact]
    public void WithPadOptions_Values_AreWireDataThatSerializeLikeJsonFromAnyFrontEnd()
    {
        ChatOptions options = new ChatOptions()
            .WithPadPreferences(new PadPreference("Be brief.", 0.5f), new PadPreference("Be kind."))
            .WithPadUser("alice")
            .WithPadOptions(new PadRequestOptions { Mode = RewardMode.SelfContrast, TopK = 4 });

        // What MEAI's distributed cache hashes: the options as JSON. The values need no reflection and no custom converter.
        string json = JsonSerializer.Serialize(options, new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false });
        Assert.Contains("\"pad_preferences\":[{\"text\":\"Be brief.\",\"weight\":0.5},{\"text\":\"Be kind.\"}]", json, StringComparison.Ordinal);
        Assert.Contains("\"pad_user\":\"alice\"", json, StringComparison.Ordinal);
        Assert.Contains("\"pad_mode\":\"self\"", json, StringComparison.Ordinal);
        Assert.IsType<JsonElement>(options.AdditionalProperties![PadOptionKeys.Preferences]);

        // The same options arriving as JSON (a server, a cache, a queue) read the same.
        ChatOptions fromJson = JsonSerializer.Deserialize<ChatOptions>(json, AIJsonUtilities.DefaultOptions)!;
        Assert.Equal(options.GetPadOptions().Preferences, fromJson.GetPadOptions().Preferences);
        Assert.Equal(options.GetPadOptions() with { Preferences = null }, fromJson.GetPadOptions() with { Preferences = null });
    }

    [Fact]
    public void WithPadPreferenceLayer_CalledTwice_KeepsBothLayersInOrder()
    {
        ChatOptions options = new ChatOptions()
            .WithPadPreferenceLayer(new PadPreferenceLayer("agent", [new PadPreference("Be formal.")]))
            .WithPadPreferenceLayer(new PadPreferenceLayer("session", [new PadPreference("Be brief.", 2f)]));

        Assert.Equal(["agent", "session"], options.GetPadOptions().Layers!.Select(l => l.Source));
    }

    public static TheoryData<string, PadRequestOptions> InvalidOptions => new()
    {
        { "pad_preferences", new PadRequestOptions { Preferences = [new PadPreference("  ")] } },
        { "pad_preferences", new PadRequestOptions { Preferences = [new PadPreference(new string('x', 2001))] } },
        { "pad_preferences", new PadRequestOptions { Preferences = [new PadPreference("A", float.NaN)] } },
        { "pad_weight", new PadRequestOptions { Weight = float.PositiveInfinity } },
        { "pad_top_k", new PadRequestOptions { TopK = 0 } },
        { "pad_mode", new PadRequestOptions { Mode = (RewardMode)7 } },
        { "pad_user", new PadRequestOptions { User = " " } },
        { "pad_preference_layers", new PadRequestOptions { Layers = [new PadPreferenceLayer("", [])] } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void WithPadOptions_InvalidOption_ThrowsNamingTheKey(string key, PadRequestOptions pad)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new ChatOptions().WithPadOptions(pad));
        Assert.Equal(key, error.ParamName);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, object?> PreferenceShapes => new()
    {
        { "CLR string", "Be brief." },
        { "CLR string[]", new[] { "Be brief.", "Be kind." } },
        { "CLR List<string>", new List<string> { "Be brief.", "Be kind." } },
        { "CLR List<object> of dictionaries", new List<object> { new Dictionary<string, object?> { ["text"] = "Be brief.", ["weight"] = 0.5 }, "Be kind." } },
        { "CLR Preference[]", new[] { new Preference("Be brief.", 0.5f), new Preference("Be kind.") } },
        { "CLR PadPreference[]", new[] { new PadPreference("Be brief.", 0.5f), new PadPreference("Be kind.") } },
        { "JsonElement string", JsonDocument.Parse("\"Be brief.\"").RootElement },
        { "JsonElement array", JsonDocument.Parse("""["Be brief.", {"text": "Be kind.", "weight": 2}]""").RootElement },
        { "JsonElement object", JsonDocument.Parse("""{"text": "Be brief.", "weight": 0.5}""").RootElement },
        { "SK string", SemanticKernelShapes.FromJson("\"Be brief.\"") },
        { "SK IEnumerable<string?>", SemanticKernelShapes.FromJson("""["Be brief.", "Be kind."]""") },
        { "SK JsonElement array of objects", SemanticKernelShapes.FromJson("""[{"text": "Be brief.", "weight": 0.5}, {"text": "Be kind."}]""") },
        { "SK round-tripped string[]", SemanticKernelShapes.RoundTrip(new[] { "Be brief.", "Be kind." }) },
    };

    [Theory]
    [MemberData(nameof(PreferenceShapes))]
    public void Read_AnyPreferenceShape_ReadsItsJson(string shape, object? value)
    {
        PadRequestOptions options = Read(("pad_preferences", value));
        Assert.True(options.Preferences!.Count >= 1, shape);
        Assert.Equal("Be brief.", options.Preferences[0].Text);
        Assert.All(options.Preferences, p => Assert.True(p.Weight is null or > 0, shape));
    }

    [Fact]
    public void Read_WeightsFromObjectsAndPadWeight_KeepsEachWhereItWasGiven()
    {
        PadRequestOptions options = Read(
            ("pad_preferences", SemanticKernelShapes.FromJson("""[{"text": "A", "weight": 0.25}, {"text": "B"}]""")),
            ("pad_weight", SemanticKernelShapes.FromJson("1.5")));
        Assert.Equal([new PadPreference("A", 0.25f), new PadPreference("B")], options.Preferences);
        Assert.Equal(1.5f, options.Weight);
    }

    [Fact]
    public void Read_SemanticKernelScalarShapes_AreRead()
    {
        // Semantic Kernel hands JSON numbers over as double, so an integral double is a valid pad_top_k.
        PadRequestOptions options = Read(
            ("pad_top_k", SemanticKernelShapes.FromJson("5")),
            ("pad_weight", SemanticKernelShapes.FromJson("0.5")),
            ("pad_mode", SemanticKernelShapes.FromJson("\"reward_model\"")),
            ("pad_user", SemanticKernelShapes.FromJson("\"alice\"")),
            ("pad_use_stored", SemanticKernelShapes.FromJson("false")));
        Assert.Equal((5, 0.5f, RewardMode.RewardModel, "alice", false), (options.TopK, options.Weight, options.Mode, options.User, options.UseStoredPreferences));
    }

    [Fact]
    public void Read_ClrJsonAndYamlScalarShapes_AreRead()
    {
        PadRequestOptions options = Read(
            ("pad_top_k", 4),
            ("pad_weight", JsonDocument.Parse("2").RootElement),
            ("pad_mode", RewardMode.SelfContrast),
            ("pad_user", "bob"),
            ("pad_use_stored", JsonDocument.Parse("true").RootElement));
        Assert.Equal((4, 2f, RewardMode.SelfContrast, "bob", true), (options.TopK, options.Weight, options.Mode, options.User, options.UseStoredPreferences));

        // YAML readers give every scalar as a string.
        PadRequestOptions yaml = Read(("pad_top_k", "3"), ("pad_weight", "1.5"), ("pad_use_stored", "false"));
        Assert.Equal((3, 1.5f, false), (yaml.TopK, yaml.Weight, yaml.UseStoredPreferences));
    }

    [Fact]
    public void Read_KeysInAnyCaseAndOtherKeys_ReadsPadKeysAndIgnoresTheRest()
    {
        PadRequestOptions options = Read(("PAD_PREFERENCES", "X"), ("frequency_penalty", 0.3), ("top_k", "not ours"));
        Assert.Equal("X", Assert.Single(options.Preferences!).Text);
    }

    public static TheoryData<string, object?> WrongValues => new()
    {
        { "pad_unknown", "x" },
        { "pad_preferences", 42.0 },
        { "pad_preferences", SemanticKernelShapes.FromJson("[1, 2]") },
        { "pad_preferences", SemanticKernelShapes.FromJson("""["a", {"text": "b"}]""") },
        { "pad_preferences", SemanticKernelShapes.FromJson("""[{"txt": "a"}]""") },
        { "pad_preferences", SemanticKernelShapes.FromJson("""[{"text": "a", "weight": "heavy"}]""") },
        { "pad_preferences", "   " },
        { "pad_weight", "heavy" },
        { "pad_weight", true },
        { "pad_weight", double.NaN },
        { "pad_top_k", 2.5 },
        { "pad_top_k", 0 },
        { "pad_top_k", SemanticKernelShapes.FromJson("[3]") },
        { "pad_mode", "sideways" },
        { "pad_mode", 1.0 },
        { "pad_user", 7.0 },
        { "pad_user", "" },
        { "pad_use_stored", "maybe" },
        { "pad_use_stored", 1.0 },
        { "pad_preference_layers", "agent" },
        { "pad_preference_layers", SemanticKernelShapes.FromJson("""[{"source": "agent", "prefs": []}]""") },
        { "pad_resolved_preferences", SemanticKernelShapes.FromJson("""[{"text": " "}]""") },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void Read_UnknownKeyOrWrongShape_ThrowsNamingTheKey(string key, object? value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Read((key, value)));
        Assert.Equal(key, error.ParamName);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, object?> NestedOptions => new()
    {
        // A settings object serialized one level too deep, as JSON and as CLR dictionaries.
        { "extension_data", SemanticKernelShapes.FromJson("""{"pad_preferences": "The story is sad."}""") },
        { "settings", new Dictionary<string, object?> { ["PAD_WEIGHT"] = 2.0 } },
        { "options", new System.Collections.Hashtable { ["pad_user"] = "alice" } },
    };

    [Theory]
    [MemberData(nameof(NestedOptions))]
    public void Read_PadKeysNestedUnderAnotherKey_ThrowsNamingThatKey(string key, object? value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Read((key, value), ("pad_top_k", 5)));
        Assert.Equal(key, error.ParamName);
        Assert.Contains("nested", error.Message, StringComparison.Ordinal);

        // Objects without PadKernel keys belong to other connectors.
        Assert.Equal(5, Read((key, SemanticKernelShapes.FromJson("""{"type": "json_schema"}""")), ("pad_top_k", 5)).TopK);
    }
}
