using System.Text;
using PadKernel.Prompts;

namespace PadKernel.OnnxRuntime.Prompts;

/// <summary>
/// A model folder's own Jinja <c>chat_template</c>, rendered by ONNX Runtime GenAI's <c>ApplyChatTemplate</c> and
/// split back into the core's segments, so that only the template's own text can produce control tokens.
/// </summary>
/// <remarks>
/// <para>
/// Each render runs the template twice: once with a private-use placeholder instead of each message's text (so the
/// output holds the template's text and nothing written by a user), and once with the real texts (the exact prompt).
/// The template's text, taken from the first rendering, is split at the tokenizer's special tokens, longest first,
/// into control and text segments; each message's text, located in the second rendering between those pieces, is
/// always a text segment. The two must agree: a template whose output depends on what a message says in a way this
/// cannot follow is a <see cref="PadKernelException"/>, never a guess. Trimming (<c>| trim</c>, <c>.strip()</c>,
/// <c>lstrip</c>, <c>rstrip</c>) is followed. User text may hold anything, the placeholder characters included:
/// it never reaches the rendering the control tokens are taken from.
/// </para>
/// <para>
/// As with the built-in templates, system messages are joined by a blank line into one system turn placed first.
/// A template that rejects a system turn (Mistral's and Gemma's <c>raise_exception</c>) or drops its text gets the
/// system text folded into the first user message (<c>system + "\n\n" + user</c>), so a preference given as
/// system text is never lost. A leading BOS that the template writes is left out: the encoder adds BOS.
/// </para>
/// </remarks>
public sealed class JinjaChatTemplate : ChatTemplate
{
    private const char PlaceholderStart = '\uE000';
    private const char PlaceholderEnd = '\uE001';
    private const char PlaceholderDigitZero = '\uE010';

    private static readonly char[] AsciiWhitespace = [' ', '\t', '\n', '\r', '\v', '\f'];

    private readonly Func<IReadOnlyList<PromptMessage>, bool, string> _render;
    private readonly IReadOnlyDictionary<string, int> _controlTokens;
    private readonly Dictionary<char, string[]> _controlsByFirstChar;
    private readonly int _bosTokenId;

    /// <summary>Initializes a new instance of the <see cref="JinjaChatTemplate"/> class and probes what the template does.</summary>
    /// <param name="render">Renders messages (with or without the generation prompt); throws <see cref="OnnxRuntimeException"/> when the template raises.</param>
    /// <param name="controlTokens">The tokenizer's special tokens (text to id): the only strings that become control segments.</param>
    /// <param name="bosTokenId">The model's BOS id (-1 for none).</param>
    /// <exception cref="PadKernelException">The template cannot render a one-message conversation, or writes the placeholder characters itself.</exception>
    internal JinjaChatTemplate(Func<IReadOnlyList<PromptMessage>, bool, string> render, IReadOnlyDictionary<string, int> controlTokens, int bosTokenId)
    {
        _render = render;
        _controlTokens = controlTokens;
        _bosTokenId = bosTokenId;
        _controlsByFirstChar = controlTokens.Keys
            .Where(k => k.Length > 0)
            .GroupBy(k => k[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(k => k.Length).ToArray());

        try
        {
            Parse(_render([new PromptMessage(PromptRole.User, Placeholder(0))], true), 1);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new PadKernelException($"The model's chat template cannot render a one-message conversation ({ex.Message}); choose a built-in chat template instead.", ex);
        }

        SupportsSystemRole = Probe([new(PromptRole.System, Placeholder(0)), new(PromptRole.User, Placeholder(1))], true) is { } withSystem &&
            withSystem.Any(p => p.Message == 0);
        EndOfTurnTokens = FindEndOfTurnTokens();
    }

    /// <inheritdoc/>
    public override string Name => "jinja";

    /// <summary>Gets a value indicating whether the template renders a system turn; when false, system text is folded into the first user message.</summary>
    public bool SupportsSystemRole { get; }

    /// <summary>Gets the first control token the template writes after an assistant message (for example <c>&lt;|im_end|&gt;</c>), if any.</summary>
    public override IReadOnlyList<string> EndOfTurnTokens { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The conversation has no user message, or the template rejects it (GenAI's message).</exception>
    /// <exception cref="PadKernelException">The template's output depends on the messages' text in a way that cannot be split safely.</exception>
    public override ChatPrompt Render(IReadOnlyList<PromptMessage> messages)
    {
        IReadOnlyList<PromptMessage> conversation = Normalize(messages);
        var placeholders = new PromptMessage[conversation.Count];
        for (int i = 0; i < conversation.Count; i++)
        {
            placeholders[i] = conversation[i] with { Text = Placeholder(i) };
        }

        string skeleton, rendered;
        try
        {
            skeleton = _render(placeholders, true);
            rendered = _render(conversation, true);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ArgumentException($"The model's chat template rejects the conversation: {ex.Message}", nameof(messages), ex);
        }

        List<Piece> pieces = Parse(skeleton, conversation.Count);
        var segments = new List<PromptSegment>();
        int position = 0;
        foreach (Piece piece in pieces)
        {
            string? text = piece.Message < 0 ? "" : Locate(rendered, position, conversation[piece.Message].Text, piece.Following);
            if (text is null || !rendered.AsSpan(position + text.Length).StartsWith(piece.Following))
            {
                throw new PadKernelException("The model's chat template changes its own text depending on what the messages say, so user text cannot be told apart from the template's control tokens; choose a built-in chat template instead.");
            }

            AppendText(segments, text);
            AppendTemplateText(segments, piece.Following);
            position += text.Length + piece.Following.Length;
        }

        if (position != rendered.Length)
        {
            throw new PadKernelException("The model's chat template rendered more than its own text and the messages; choose a built-in chat template instead.");
        }

        if (segments.Count > 0 && segments[0].Kind == PromptSegmentKind.Control && _bosTokenId >= 0 &&
            _controlTokens.TryGetValue(segments[0].Value, out int id) && id == _bosTokenId)
        {
            segments.RemoveAt(0);
        }

        return new ChatPrompt(segments.ToArray());
    }

    /// <summary>Merges system messages into one first system turn (or into the first user message), as the built-in templates do.</summary>
    private IReadOnlyList<PromptMessage> Normalize(IReadOnlyList<PromptMessage> messages)
    {
        Conversation conversation = Conversation.From(messages);
        List<PromptMessage> turns = [.. conversation.Turns];
        if (conversation.System is not string system)
        {
            return turns;
        }

        if (!SupportsSystemRole)
        {
            int firstUser = turns.FindIndex(t => t.Role == PromptRole.User);
            turns[firstUser] = turns[firstUser] with { Text = system + "\n\n" + turns[firstUser].Text };
            return turns;
        }

        return [new PromptMessage(PromptRole.System, system), .. turns];
    }

    /// <summary>Finds the form of <paramref name="text"/> (as written, or trimmed) that the rendering holds at <paramref name="position"/>.</summary>
    private static string? Locate(string rendered, int position, string text, string following)
    {
        ReadOnlySpan<char> rest = rendered.AsSpan(position);
        foreach (string candidate in (string[])[text, text.Trim(), text.TrimStart(), text.TrimEnd(), text.Trim(AsciiWhitespace), text.TrimStart(AsciiWhitespace), text.TrimEnd(AsciiWhitespace)])
        {
            if (rest.StartsWith(candidate) && rest[candidate.Length..].StartsWith(following))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A message's place in the skeleton (-1 for the start) and the template text that follows it.</summary>
    private readonly record struct Piece(int Message, string Following);

    /// <summary>Splits a rendering of placeholders into the template's text pieces: the text before the first placeholder (message -1), then each placeholder's message with the text after it.</summary>
    private static List<Piece> Parse(string skeleton, int messageCount)
    {
        var pieces = new List<Piece>();
        int message = -1;
        int start = 0;
        for (int i = 0; i < skeleton.Length; i++)
        {
            char c = skeleton[i];
            if (c is not (PlaceholderStart or PlaceholderEnd) && (c < PlaceholderDigitZero || c > PlaceholderDigitZero + 15))
            {
                continue;
            }

            int end = c == PlaceholderStart ? skeleton.IndexOf(PlaceholderEnd, i + 1) : -1;
            int index = 0;
            bool valid = end > i + 1;
            for (int j = i + 1; valid && j < end; j++)
            {
                int digit = skeleton[j] - PlaceholderDigitZero;
                valid = digit is >= 0 and < 16 && index < 1 << 24;
                index = (index << 4) | digit;
            }

            if (!valid || index >= messageCount)
            {
                throw new PadKernelException($"The model's chat template writes the private-use character U+{(int)c:X4}, which PadKernel reserves to locate message text; choose a built-in chat template instead.");
            }

            pieces.Add(new Piece(message, skeleton[start..i]));
            message = index;
            start = end + 1;
            i = end;
        }

        pieces.Add(new Piece(message, skeleton[start..]));
        return pieces;
    }

    /// <summary>Returns message <paramref name="index"/>'s placeholder: U+E000, the index in hexadecimal digits U+E010..U+E01F, U+E001.</summary>
    private static string Placeholder(int index)
    {
        var text = new StringBuilder().Append(PlaceholderEnd);
        do
        {
            text.Insert(0, (char)(PlaceholderDigitZero + (index & 15)));
            index >>= 4;
        }
        while (index > 0);

        return text.Insert(0, PlaceholderStart).ToString();
    }

    private static void AppendText(List<PromptSegment> segments, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (segments.Count > 0 && segments[^1].Kind == PromptSegmentKind.Text)
        {
            segments[^1] = PromptSegment.Text(segments[^1].Value + text);
        }
        else
        {
            segments.Add(PromptSegment.Text(text));
        }
    }

    /// <summary>Appends template text, its special tokens (longest match first) as control segments.</summary>
    private void AppendTemplateText(List<PromptSegment> segments, string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length;)
        {
            string? control = null;
            if (_controlsByFirstChar.TryGetValue(text[i], out string[]? candidates))
            {
                control = candidates.FirstOrDefault(c => text.AsSpan(i).StartsWith(c));
            }

            if (control is null)
            {
                i++;
                continue;
            }

            AppendText(segments, text[start..i]);
            segments.Add(PromptSegment.Control(control));
            i += control.Length;
            start = i;
        }

        AppendText(segments, text[start..]);
    }

    /// <summary>Renders placeholders; null when the template raises.</summary>
    private List<Piece>? Probe(PromptMessage[] messages, bool addGenerationPrompt)
    {
        try
        {
            return Parse(_render(messages, addGenerationPrompt), messages.Length);
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
    }

    private string[] FindEndOfTurnTokens()
    {
        List<Piece>? pieces = Probe([new(PromptRole.User, Placeholder(0)), new(PromptRole.Assistant, Placeholder(1))], false);
        int answer = pieces?.FindIndex(p => p.Message == 1) ?? -1;
        if (answer < 0)
        {
            return [];
        }

        var segments = new List<PromptSegment>();
        AppendTemplateText(segments, pieces![answer].Following);
        return segments.Where(s => s.Kind == PromptSegmentKind.Control).Select(s => s.Value).Take(1).ToArray();
    }
}
