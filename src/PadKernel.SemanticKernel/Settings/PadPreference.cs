using System.Text.Json.Serialization;
using PadKernel.Preferences;

namespace PadKernel.SemanticKernel;

/// <summary>One preference of a request, as <see cref="PadPromptExecutionSettings.Preferences"/> holds it (JSON <c>{"text": ..., "weight": ...}</c>).</summary>
/// <param name="Text">The preference in natural language, for example "Keep answers short."</param>
/// <param name="Weight">How strongly PAD steers toward it; null for <see cref="PadPromptExecutionSettings.PreferenceWeight"/> (or the model's default weight, 1).</param>
public sealed record PadPreference(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("weight")] float? Weight = null)
{
    /// <summary>Throws when the text is empty or the weight is not a finite number.</summary>
    /// <exception cref="ArgumentException">The text is empty or the weight is not finite.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Text))
        {
            throw new ArgumentException("A preference needs non-empty text.", nameof(Text));
        }

        PreferenceText.ValidateCharacters(Text, nameof(Text), allowLineBreaks: true);

        if (Weight is float weight && !float.IsFinite(weight))
        {
            throw new ArgumentException("A preference weight must be a finite number.", nameof(Weight));
        }
    }
}
