using PadKernel.Preferences;

namespace PadKernel.Alignment;

/// <summary>A user preference in natural language and how strongly PAD steers toward it.</summary>
/// <param name="Text">The preference, for example "Keep answers short." It is always encoded as plain text.</param>
/// <param name="Weight">The reward weight w; 0 leaves decoding unchanged.</param>
public sealed record Preference(string Text, float Weight = 1f)
{
    /// <summary>Throws when the text is empty or holds a control character (<see cref="PreferenceText.ValidateCharacters"/>), or the weight is not a finite number.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Text))
        {
            throw new ArgumentException("A preference needs non-empty text.", nameof(Text));
        }

        PreferenceText.ValidateCharacters(Text, nameof(Text), allowLineBreaks: true);

        if (!float.IsFinite(Weight))
        {
            throw new ArgumentOutOfRangeException(nameof(Weight), Weight, "A preference weight must be a finite number.");
        }
    }
}
