using System.Text;
using PadKernel.Text;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// A tokenizer for template tests that knows the control tokens of the common chat formats (PadKernel.Tests'
/// ByteTokenizer knows only BOS and EOS): ids 0–255 are UTF-8 bytes, higher ids are the control tokens. Encode is plain
/// text only, as the ITokenizer contract requires, so any control id in an encoded prompt was put there by a template's
/// control segment.
/// </summary>
internal sealed class SpecialTokenTokenizer : ITokenizer
{
    public static readonly string[] Specials =
    [
        "<s>", "</s>", "<|im_start|>", "<|im_end|>", "[INST]", "[/INST]", "<|eot_id|>", "<|start_header_id|>",
        "<|end_header_id|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>",
    ];

    private readonly string[] _specials;

    public SpecialTokenTokenizer(params string[] specials)
    {
        _specials = specials.Length == 0 ? Specials : specials;
    }

    public int VocabularySize => 256 + _specials.Length;

    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text.ToArray()))
        {
            destination.Add(b);
        }
    }

    public bool TryGetSpecialTokenId(string token, out int id)
    {
        int index = Array.IndexOf(_specials, token);
        id = index < 0 ? -1 : 256 + index;
        return index >= 0;
    }

    public ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId) =>
        tokenId < 256 ? new[] { (byte)tokenId } : [];

    public int Id(string special) => TryGetSpecialTokenId(special, out int id) ? id : throw new ArgumentException(special);

    /// <summary>Decodes ids, writing control tokens as ⟨name⟩ so a test can see exactly where they are.</summary>
    public string Show(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (id < 256)
            {
                bytes.Add((byte)id);
                continue;
            }

            text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
            text.Append('⟨').Append(_specials[id - 256]).Append('⟩');
        }

        return text.Append(Encoding.UTF8.GetString(bytes.ToArray())).ToString();
    }
}
