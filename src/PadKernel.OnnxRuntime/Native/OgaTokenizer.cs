using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// GenAI's <c>OgaTokenizer</c> (the folder's tokenizer as GenAI reads it): used to render Jinja chat templates and to
/// compare GenAI's encoding with PadKernel's, never to encode prompts.
/// </summary>
internal sealed class OgaTokenizer : GenAIHandle
{
    private OgaTokenizer(nint handle)
        : base(handle)
    {
    }

    public static OgaTokenizer Create(OgaModel model)
    {
        OgaResult.Verify(NativeMethods.OgaCreateTokenizer(model, out nint tokenizer));
        return new(tokenizer);
    }

    /// <summary>Encodes text as GenAI does by default (no BOS; control-token strings become control ids).</summary>
    public int[] Encode(string text)
    {
        using OgaSequences sequences = OgaSequences.Create();
        OgaResult.Verify(NativeMethods.OgaTokenizerEncode(this, text, sequences));
        return sequences[0].ToArray();
    }

    /// <summary>Renders <paramref name="messages"/> (a JSON array of role/content objects) with a Jinja template, or the folder's when null.</summary>
    public string ApplyChatTemplate(string? template, string messages, bool addGenerationPrompt)
    {
        OgaResult.Verify(NativeMethods.OgaTokenizerApplyChatTemplate(this, template, messages, null, addGenerationPrompt, out nint text));
        try
        {
            return Marshal.PtrToStringUTF8(text) ?? string.Empty;
        }
        finally
        {
            NativeMethods.OgaDestroyString(text);
        }
    }

    protected override void Destroy(nint value) => NativeMethods.OgaDestroyTokenizer(value);
}
