namespace PadKernel.Tokenizers;

/// <summary>The BPE family a <see cref="HuggingFaceTokenizer"/> belongs to.</summary>
public enum HuggingFaceTokenizerKind
{
    /// <summary>Byte-level BPE (GPT-2, Llama 3, Qwen, Phi-4): words are UTF-8 bytes in GPT-2's byte alphabet.</summary>
    ByteLevelBpe,

    /// <summary>SentencePiece-style BPE (Llama 2, Mistral, Phi-3): spaces are <c>▁</c>, unknown characters fall back to <c>&lt;0xNN&gt;</c>.</summary>
    SentencePieceBpe,
}
