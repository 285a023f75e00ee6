using System.Text.Json.Serialization;
using PadKernel.Alignment;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI;

/// <summary>One preference of a request, as options carry it (JSON <c>{"text": ..., "weight": ...}</c>).</summary>
/// <param name="Text">The preference in natural language, for example "Keep answers short."</param>
/// <param name="Weight">How strongly PAD steers toward it; null for the request's <c>pad_weight</c> (or the model's default weight, 1).</param>
public sealed record PadPreference(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("weight")] float? Weight = null)
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="field"/> when the text is empty, longer than
    /// <see cref="PreferenceText.MaxLength"/> or holds a control character (<see cref="InvalidCharacterException"/>, the
    /// core's rule), or the weight is not a finite number.
    /// </summary>
    /// <param name="field">The option or property the preference came from, for the message and <see cref="ArgumentException.ParamName"/>.</param>
    public void Validate(string field = "preference")
    {
        if (string.IsNullOrWhiteSpace(Text))
        {
            throw new ArgumentException($"'{field}' holds an empty preference; a preference needs text.", field);
        }

        if (Text.Trim().Length > PreferenceText.MaxLength)
        {
            throw new ArgumentException($"'{field}' holds a preference of {Text.Trim().Length} characters; at most {PreferenceText.MaxLength} are allowed.", field);
        }

        PreferenceText.ValidateCharacters(Text, field, allowLineBreaks: true);

        if (Weight is float weight && !float.IsFinite(weight))
        {
            throw new ArgumentException($"'{field}' holds a preference weight that is not a finite number.", field);
        }
    }

    /// <summary>Returns the preference with its text trimmed and its weight, or <paramref name="defaultWeight"/> when it has none.</summary>
    public Preference ToPreference(float defaultWeight) => new(Text.Trim(), Weight ?? defaultWeight);
}
