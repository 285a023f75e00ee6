using System.Text.Json.Serialization;
using PadKernel.Alignment;

namespace PadKernel.Extensions.AI;

/// <summary>One preference a request applies, with the layer it came from.</summary>
/// <param name="Text">The preference text, trimmed.</param>
/// <param name="Weight">Its weight; null for the model's default weight (the chat client fills it in).</param>
/// <param name="Source">
/// Where it came from: <see cref="StoredSource"/> (the user's memory), a layer's <see cref="PadPreferenceLayer.Source"/>,
/// or <see cref="RequestSource"/> (the request's <c>pad_preferences</c>).
/// </param>
public sealed record PadResolvedPreference(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("weight")] float? Weight,
    [property: JsonPropertyName("source")] string Source)
{
    /// <summary>The source of the user's stored preferences.</summary>
    public const string StoredSource = "stored";

    /// <summary>The source of the request's own preferences (<c>pad_preferences</c>).</summary>
    public const string RequestSource = "request";

    /// <summary>Returns the preference PAD applies, with <paramref name="defaultWeight"/> when it has no weight.</summary>
    public Preference ToPreference(float defaultWeight) => new(Text, Weight ?? defaultWeight);
}
