namespace PadKernel.Prompts;

/// <summary>Collects segments, merging adjacent text so a text run is encoded in one piece.</summary>
internal sealed class ChatPromptBuilder
{
    private readonly List<PromptSegment> _segments = [];

    public ChatPromptBuilder Text(string text)
    {
        if (text.Length == 0)
        {
            return this;
        }

        if (_segments.Count > 0 && _segments[^1].Kind == PromptSegmentKind.Text)
        {
            _segments[^1] = PromptSegment.Text(_segments[^1].Value + text);
        }
        else
        {
            _segments.Add(PromptSegment.Text(text));
        }

        return this;
    }

    public ChatPromptBuilder Control(string name)
    {
        _segments.Add(PromptSegment.Control(name));
        return this;
    }

    public ChatPromptBuilder ControlOrText(string name)
    {
        _segments.Add(PromptSegment.ControlOrText(name));
        return this;
    }

    public ChatPrompt Build() => new(_segments.ToArray());
}
