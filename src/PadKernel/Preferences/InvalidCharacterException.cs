namespace PadKernel.Preferences;

/// <summary>
/// A string that is stored or passed on (preference text, a user id) holds a character no store keeps faithfully: a
/// control character (NUL and the other C0 controls; preference text may hold tabs and line breaks) or half of a
/// surrogate pair. Raised by <see cref="PreferenceText.ValidateCharacters"/>, the one place the rule lives.
/// </summary>
public sealed class InvalidCharacterException : ArgumentException
{
    private readonly string _reason;

    /// <summary>Initializes a new instance of the <see cref="InvalidCharacterException"/> class.</summary>
    /// <param name="field">The field that holds the character (a parameter, option or JSON path); also <see cref="ArgumentException.ParamName"/>.</param>
    /// <param name="index">The character's position in the string (0-based, UTF-16 code units).</param>
    /// <param name="character">The character.</param>
    /// <param name="allowsLineBreaks">Whether the field accepts tabs and line breaks (the message says so).</param>
    public InvalidCharacterException(string field, int index, char character, bool allowsLineBreaks)
        : base(null, field)
    {
        Field = field;
        Index = index;
        Character = character;
        string what = char.IsSurrogate(character)
            ? $"half of a surrogate pair (U+{(int)character:X4}, not valid Unicode)"
            : $"the control character U+{(int)character:X4}";
        string rule = allowsLineBreaks ? "tabs and line breaks, but no other control characters" : "no control characters";
        _reason = $"'{field}' holds {what} at position {index}; it may hold {rule}.";
    }

    /// <summary>Gets the field that holds the character.</summary>
    public string Field { get; }

    /// <summary>Gets the character's position (0-based, UTF-16 code units).</summary>
    public int Index { get; }

    /// <summary>Gets the character.</summary>
    public char Character { get; }

    /// <summary>Gets the reason in plain words, naming the field (without the "(Parameter …)" suffix of <see cref="ArgumentException"/>).</summary>
    public override string Message => _reason;
}
