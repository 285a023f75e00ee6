using System.Text;
using PadKernel.Text;

namespace PadKernel.Cli.Output;

/// <summary>Shows a single token readably in tables and traces.</summary>
internal static class TokenText
{
    public static string Show(ITokenizer tokenizer, int tokenId)
    {
        // Decoding the token after itself keeps its leading space (only a start-of-text or BOS predecessor strips it).
        string text = Encoding.UTF8.GetString(tokenizer.GetTokenBytes(tokenId, tokenId));
        return text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
    }
}
