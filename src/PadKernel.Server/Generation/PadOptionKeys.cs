using PadKernel.Server.Protocol;

namespace PadKernel.Server.Generation;

/// <summary>The <c>ChatOptions.AdditionalProperties</c> keys through which the chat connector takes PAD settings.</summary>
internal static class PadOptionKeys
{
    public const string Preferences = "pad_preferences";
    public const string Weight = "pad_weight";
    public const string TopK = "pad_top_k";
    public const string Mode = "pad_mode";
    public const string User = "pad_user";
    public const string UseStored = "pad_use_stored";

    /// <summary>Shapes the preferences as the connector reads them: strings, or text/weight objects when a weight is given.</summary>
    public static object ToPreferenceValue(List<PreferenceInput> preferences) =>
        preferences.Select(p => p.Weight is float w
                ? (object)new Dictionary<string, object?> { ["text"] = p.Text, ["weight"] = w }
                : p.Text)
            .ToList();
}
