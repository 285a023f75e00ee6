namespace PadKernel.Tokenizers.Components;

/// <summary>
/// GPT-2's reversible byte-to-character map: printable Latin-1 bytes map to themselves, the other 68 bytes to
/// U+0100.. in order, so every byte string becomes a string of visible characters that BPE can work on.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The character each byte is written as.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>The byte each alphabet character stands for, or -1 (indexed by char, up to U+0143).</summary>
    public static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>Gets the byte <paramref name="c"/> stands for, or -1 when it is not in the alphabet.</summary>
    public static int ToByte(char c) => c < CharToByte.Length ? CharToByte[c] : -1;

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + extra++);
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[256 + 68];
        Array.Fill(map, (short)-1);
        for (int b = 0; b < 256; b++)
        {
            map[ByteToChar[b]] = (short)b;
        }

        return map;
    }
}
