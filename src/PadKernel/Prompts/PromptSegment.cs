namespace PadKernel.Prompts;

/// <summary>What a <see cref="PromptSegment"/> holds.</summary>
public enum PromptSegmentKind
{
    /// <summary>Plain text, encoded with <see cref="Text.ITokenizer.Encode"/>; never becomes a control token.</summary>
    Text,

    /// <summary>A control token the tokenizer must know (resolved with <see cref="Text.ITokenizer.TryGetSpecialTokenId"/>).</summary>
    Control,

    /// <summary>
    /// A marker that is a control token in some tokenizers of a family and plain text in others
    /// (for example <c>[INST]</c>: text in Llama-2, a control token in Mistral v3): resolved as a control token when the
    /// tokenizer knows it, otherwise encoded as text.
    /// </summary>
    ControlOrText,
}

/// <summary>A piece of a rendered chat prompt: plain text or a named control token.</summary>
/// <param name="Kind">What the segment holds.</param>
/// <param name="Value">The text, or the control token's name (for example <c>&lt;|im_start|&gt;</c>).</param>
public readonly record struct PromptSegment(PromptSegmentKind Kind, string Value)
{
    /// <summary>Creates a plain-text segment.</summary>
    public static PromptSegment Text(string text) => new(PromptSegmentKind.Text, text);

    /// <summary>Creates a control-token segment.</summary>
    public static PromptSegment Control(string name) => new(PromptSegmentKind.Control, name);

    /// <summary>Creates a segment that is a control token when the tokenizer knows it and text otherwise.</summary>
    public static PromptSegment ControlOrText(string name) => new(PromptSegmentKind.ControlOrText, name);

    /// <inheritdoc/>
    public override string ToString() => Kind == PromptSegmentKind.Text ? Value : "⟨" + Value + "⟩";
}
