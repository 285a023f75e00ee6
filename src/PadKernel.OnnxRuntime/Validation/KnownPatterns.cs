using System.Collections.Frozen;
using System.Runtime.CompilerServices;

// The hardening tests probe every allow-listed pattern against adversarial input.
[assembly: InternalsVisibleTo("PadKernel.Hardening.Tests")]

namespace PadKernel.OnnxRuntime.Validation;

/// <summary>
/// The regular expressions a tokenizer.json may use in a <c>Split</c> pre-tokenizer or a <c>Replace</c> normalizer or
/// decoder: the published patterns of well-known tokenizers, compared as exact strings.
/// </summary>
/// <remarks>
/// ONNX Runtime GenAI's native tokenizer (onnxruntime-extensions) runs a tokenizer's patterns itself: a few known ones
/// by hand-written matchers, any other through <c>std::regex</c>, a backtracking engine with no time limit and
/// recursion that grows with the input. A hostile pattern plus a crafted prompt would hang or crash the process, and
/// no probe run in .NET can vouch for a different engine, so only these vetted patterns (each linear in practice:
/// no nested quantifiers) are accepted; literal (<c>String</c>) patterns need no list.
/// </remarks>
internal static class KnownPatterns
{
    /// <summary>Pattern → the tokenizers that publish it, for messages and docs.</summary>
    public static FrozenDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"] = "GPT-2, RoBERTa, Phi-2, GPT-J, GPT-NeoX",
        [@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"] = "GPT-2 (as onnxruntime-extensions spells it)",
        [@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "Llama 3, GPT-4 (cl100k), Phi-4",
        [@"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "Llama 3 (case spelled out)",
        [@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "Qwen2, Qwen2.5, Qwen3",
        [@"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "GPT-4o (o200k)",
        [@" {2,}"] = "runs of spaces (SentencePiece conversions)",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
