using System.Text.Json;
using Microsoft.Extensions.AI;
using PadKernel.Alignment;

namespace PadKernel.Extensions.AI.Tests;

public sealed class PadRequestOptionsTests
{
    private static PadRequestOptions Parse(params (string Key, object? Value)[] entries)
    {
        var properties = new AdditionalPropertiesDictionary();
        foreach ((string key, object? value) in entries)
        {
            properties[key] = value;
        }

        return PadRequestOptions.Parse(properties);
    }

    [Fact]
    public void No_properties_give_the_defaults()
    {
        PadRequestOptions options = PadRequestOptions.Parse(null);
        Assert.Empty(options.Preferences);
        Assert.Null(options.Weight);
        Assert.Null(options.PadTopK);
        Assert.Null(options.Mode);
        Assert.Null(options.UserId);
        Assert.Null(options.UseStoredPreferences);
    }

    public static TheoryData<string, object?> PreferenceShapes => new()
    {
        { "CLR string", "Be brief." },
        { "CLR string[]", new[] { "Be brief.", "Be kind." } },
        { "CLR List<string>", new List<string> { "Be brief.", "Be kind." } },
        { "CLR List<object> of dictionaries", new List<object> { new Dictionary<string, object?> { ["text"] = "Be brief.", ["weight"] = 0.5 }, "Be kind." } },
        { "CLR Preference[]", new[] { new Preference("Be brief.", 0.5f), new Preference("Be kind.") } },
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
    public void Every_preference_shape_is_accepted(string shape, object? value)
    {
        PadRequestOptions options = Parse(("pad_preferences", value));
        Assert.True(options.Preferences.Count >= 1, shape);
        Assert.Equal("Be brief.", options.Preferences[0].Text);
        Assert.All(options.Preferences, p => Assert.True(p.Weight > 0, shape));
    }

    [Fact]
    public void Weights_come_from_objects_or_pad_weight()
    {
        PadRequestOptions options = Parse(
            ("pad_preferences", SemanticKernelShapes.FromJson("""[{"text": "A", "weight": 0.25}, {"text": "B"}]""")),
            ("pad_weight", SemanticKernelShapes.FromJson("1.5")));
        Assert.Equal([new Preference("A", 0.25f), new Preference("B", 1.5f)], options.Preferences);
        Assert.Equal(1.5f, options.Weight);
    }

    [Fact]
    public void SK_number_string_and_bool_shapes_are_accepted_for_scalars()
    {
        // Semantic Kernel hands JSON numbers over as double, so an integral double is a valid pad_top_k.
        PadRequestOptions options = Parse(
            ("pad_top_k", SemanticKernelShapes.FromJson("5")),
            ("pad_weight", SemanticKernelShapes.FromJson("0.5")),
            ("pad_mode", SemanticKernelShapes.FromJson("\"reward_model\"")),
            ("pad_user", SemanticKernelShapes.FromJson("\"alice\"")),
            ("pad_use_stored", SemanticKernelShapes.FromJson("false")));
        Assert.Equal(5, options.PadTopK);
        Assert.Equal(0.5f, options.Weight);
        Assert.Equal(RewardMode.RewardModel, options.Mode);
        Assert.Equal("alice", options.UserId);
        Assert.False(options.UseStoredPreferences);
    }

    [Fact]
    public void CLR_and_JsonElement_scalars_are_accepted()
    {
        PadRequestOptions options = Parse(
            ("pad_top_k", 4),
            ("pad_weight", JsonDocument.Parse("2").RootElement),
            ("pad_mode", JsonDocument.Parse("\"self\"").RootElement),
            ("pad_user", "bob"),
            ("pad_use_stored", JsonDocument.Parse("true").RootElement));
        Assert.Equal(4, options.PadTopK);
        Assert.Equal(2f, options.Weight);
        Assert.Equal(RewardMode.SelfContrast, options.Mode);
        Assert.Equal("bob", options.UserId);
        Assert.True(options.UseStoredPreferences);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_other_keys_are_ignored()
    {
        PadRequestOptions options = Parse(("PAD_PREFERENCES", "X"), ("frequency_penalty", 0.3), ("top_k", "not ours"));
        Assert.Equal("X", Assert.Single(options.Preferences).Text);
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
        { "pad_top_k", 2.5 },
        { "pad_top_k", 0 },
        { "pad_top_k", SemanticKernelShapes.FromJson("[3]") },
        { "pad_mode", "sideways" },
        { "pad_mode", 1.0 },
        { "pad_user", 7.0 },
        { "pad_user", "" },
        { "pad_use_stored", "maybe" },
        { "pad_use_stored", 1.0 },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void Unknown_keys_and_wrong_types_name_the_key(string key, object? value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Parse((key, value)));
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
    public void Pad_keys_nested_under_another_key_are_an_error_not_ignored(string key, object? value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Parse((key, value), ("pad_top_k", 5)));
        Assert.Equal(key, error.ParamName);
        Assert.Contains("nested", error.Message, StringComparison.Ordinal);

        // Objects without PadKernel keys belong to other connectors.
        Assert.Equal(5, Parse((key, SemanticKernelShapes.FromJson("""{"type": "json_schema"}""")), ("pad_top_k", 5)).PadTopK);
    }
}
