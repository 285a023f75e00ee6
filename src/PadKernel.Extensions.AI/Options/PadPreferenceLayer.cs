using System.Text.Json.Serialization;

namespace PadKernel.Extensions.AI;

/// <summary>
/// A named group of preferences that applies between a user's stored preferences and a request's own, for example an
/// agent's persona or a conversation's preferences (<c>pad_preference_layers</c>). Layers apply in order; a later
/// layer's preference replaces an earlier one with the same text.
/// </summary>
/// <param name="Source">Where the preferences come from (for example <c>agent</c> or <c>session</c>); reported with each resolved preference.</param>
/// <param name="Preferences">The layer's preferences.</param>
/// <param name="Weight">The weight of the layer's preferences that carry none; null for the model's default weight.</param>
public sealed record PadPreferenceLayer(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("preferences")] IReadOnlyList<PadPreference> Preferences,
    [property: JsonPropertyName("weight")] float? Weight = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="field"/> for an empty source, a weight that is not finite or an invalid preference.</summary>
    public void Validate(string field = PadOptionKeys.PreferenceLayers)
    {
        if (string.IsNullOrWhiteSpace(Source))
        {
            throw new ArgumentException($"'{field}' holds a layer without a source; name where its preferences come from.", field);
        }

        if (Weight is float weight && !float.IsFinite(weight))
        {
            throw new ArgumentException($"'{field}' layer '{Source}' has a weight that is not a finite number.", field);
        }

        ArgumentNullException.ThrowIfNull(Preferences, field);
        foreach (PadPreference preference in Preferences)
        {
            (preference ?? throw new ArgumentException($"'{field}' layer '{Source}' holds a null preference.", field)).Validate(field);
        }
    }
}
