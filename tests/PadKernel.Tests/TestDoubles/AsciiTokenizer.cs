using PadKernel.Text;

namespace PadKernel.Tests.TestDoubles;

/// <summary>
/// A tokenizer unlike <see cref="ByteTokenizer"/>: id = printable ASCII character - 29 (ids 0..2 are control tokens, 3 is
/// a space, 98 is '~'); any other character encodes to nothing. A reward model with it needs a <c>TokenMapping</c>.
/// </summary>
internal sealed class AsciiTokenizer : ITokenizer
{
    private static readonly byte[][] Bytes = Enumerable.Range(0, 98).Select(i => i < 3 ? Array.Empty<byte>() : new[] { (byte)(i + 29) }).ToArray();

    public int VocabularySize => 98;

    public static int IdOf(char c) => c - 29;

    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true)
    {
        foreach (char c in text)
        {
            if (c is >= ' ' and <= '~')
            {
                destination.Add(IdOf(c));
            }
        }
    }

    public bool TryGetSpecialTokenId(string token, out int id)
    {
        id = token switch { "<s>" => 1, "</s>" => 2, _ => -1 };
        return id >= 0;
    }

    public ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId) => Bytes[tokenId];
}
