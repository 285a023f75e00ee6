using PadKernel.Text;

namespace PadKernel.Tests.TestDoubles;

/// <summary>Token id = byte value + 3 (ids 0..2 are control tokens), so tests can split UTF-8 anywhere.</summary>
internal sealed class ByteTokenizer : ITokenizer
{
    private static readonly byte[][] Bytes = Enumerable.Range(0, 259).Select(i => i < 3 ? Array.Empty<byte>() : new[] { (byte)(i - 3) }).ToArray();

    public int VocabularySize => 259;

    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true)
    {
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text.ToString()))
        {
            destination.Add(b + 3);
        }
    }

    public bool TryGetSpecialTokenId(string token, out int id)
    {
        id = token switch { "<s>" => 1, "</s>" => 2, _ => -1 };
        return id >= 0;
    }

    public ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId) => Bytes[tokenId];
}
