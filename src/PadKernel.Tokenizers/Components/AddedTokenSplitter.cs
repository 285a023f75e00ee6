namespace PadKernel.Tokenizers.Components;

/// <summary>
/// Finds the non-special added tokens in text (leftmost, longest first), as Hugging Face does before
/// pre-tokenization. Special (control) tokens are never looked for: text never becomes a control token.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Dictionary<char, (string Content, int Id)[]> _byFirstChar;

    public AddedTokenSplitter(IEnumerable<(string Content, int Id)> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>Gets whether there is no token to look for.</summary>
    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Splits <paramref name="text"/> into (text, -1) and (token content, id) segments.</summary>
    public List<(string Text, int Id)> Split(string text)
    {
        var segments = new List<(string, int)>();
        int last = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (_byFirstChar.TryGetValue(text[i], out var candidates))
            {
                bool matched = false;
                foreach (var (content, id) in candidates)
                {
                    if (text.AsSpan(i).StartsWith(content, StringComparison.Ordinal))
                    {
                        if (i > last)
                        {
                            segments.Add((text[last..i], -1));
                        }

                        segments.Add((content, id));
                        i += content.Length;
                        last = i;
                        matched = true;
                        break;
                    }
                }

                if (matched)
                {
                    continue;
                }
            }

            i++;
        }

        if (last < text.Length)
        {
            segments.Add((text[last..], -1));
        }

        return segments;
    }
}
