using System.Globalization;
using System.Text;

namespace PadKernel.Tokenizers.Components;

/// <summary>
/// A Hugging Face decoder reduced to what streaming needs: the bytes each token contributes on its own, plus how
/// many leading spaces the decoder strips from the start of the text (<c>Strip</c>, <c>Metaspace</c>). Every decoder
/// supported here works token by token (<c>Fuse</c> only concatenates), so per-token bytes decode exactly.
/// </summary>
internal sealed class TokenDecoding
{
    private readonly List<Func<string, (string? Text, byte[]? Bytes)>> _steps;
    private readonly bool _byteLevel;

    private TokenDecoding(bool byteLevel, List<Func<string, (string? Text, byte[]? Bytes)>> steps, int stripLeadingSpaces)
    {
        _byteLevel = byteLevel;
        _steps = steps;
        StripLeadingSpaces = stripLeadingSpaces;
    }

    /// <summary>Gets how many leading spaces are removed from the first token of the text.</summary>
    public int StripLeadingSpaces { get; }

    /// <summary>Gets whether this is the byte-level (GPT-2) decoder.</summary>
    public bool IsByteLevel => _byteLevel;

    /// <summary>The GPT-2 byte-level decoder.</summary>
    public static TokenDecoding ByteLevel() => new(true, [], 0);

    /// <summary>Builds the decoder of a <c>Sequence</c> of per-token steps.</summary>
    public static TokenDecoding Create(IEnumerable<DecoderStep> steps)
    {
        var functions = new List<Func<string, (string?, byte[]?)>>();
        int strip = 0;
        bool byteLevel = false;
        foreach (DecoderStep step in steps)
        {
            switch (step)
            {
                case DecoderStep.ByteLevelStep:
                    byteLevel = true;
                    break;
                case DecoderStep.ReplaceStep replace:
                    functions.Add(t => (t.Replace(replace.Pattern, replace.Content, StringComparison.Ordinal), null));
                    break;
                case DecoderStep.ByteFallbackStep:
                    functions.Add(t => (t, TryParseByteToken(t, out byte b) ? [b] : null));
                    break;
                case DecoderStep.StripStep s:
                    strip = Math.Max(strip, s.Start);
                    break;
                case DecoderStep.MetaspaceStep m:
                    functions.Add(t => (t.Replace(m.Replacement, ' '), null));
                    if (m.StripFirst)
                    {
                        strip = Math.Max(strip, 1);
                    }

                    break;
            }
        }

        return new TokenDecoding(byteLevel, functions, strip);
    }

    /// <summary>Gets the bytes <paramref name="token"/> decodes to on its own.</summary>
    public byte[] GetBytes(string token)
    {
        if (_byteLevel)
        {
            var bytes = new byte[token.Length];
            for (int i = 0; i < token.Length; i++)
            {
                int b = ByteLevelAlphabet.ToByte(token[i]);
                if (b < 0)
                {
                    // As Hugging Face does: a token with a character outside the alphabet is its own UTF-8.
                    return Encoding.UTF8.GetBytes(token);
                }

                bytes[i] = (byte)b;
            }

            return bytes;
        }

        string text = token;
        foreach (var step in _steps)
        {
            var (next, raw) = step(text);
            if (raw is not null)
            {
                return raw;
            }

            text = next!;
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Parses a <c>&lt;0xNN&gt;</c> byte token.</summary>
    public static bool TryParseByteToken(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>' &&
            byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>One supported decoder component.</summary>
internal abstract record DecoderStep
{
    /// <summary><c>ByteLevel</c>.</summary>
    public sealed record ByteLevelStep : DecoderStep;

    /// <summary><c>Replace</c> with a literal pattern.</summary>
    public sealed record ReplaceStep(string Pattern, string Content) : DecoderStep;

    /// <summary><c>ByteFallback</c>.</summary>
    public sealed record ByteFallbackStep : DecoderStep;

    /// <summary><c>Fuse</c> (concatenation; nothing to do per token).</summary>
    public sealed record FuseStep : DecoderStep;

    /// <summary><c>Strip</c> of leading spaces.</summary>
    public sealed record StripStep(int Start) : DecoderStep;

    /// <summary><c>Metaspace</c>.</summary>
    public sealed record MetaspaceStep(char Replacement, bool StripFirst) : DecoderStep;
}
