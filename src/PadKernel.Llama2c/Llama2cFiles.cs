using PadKernel.Models;

namespace PadKernel.Llama2c;

/// <summary>File access shared by the checkpoint and tokenizer readers: every I/O failure becomes a <see cref="ModelFormatException"/>.</summary>
internal static class Llama2cFiles
{
    /// <summary>Reads a whole regular file; the whole checkpoint lives in one array, so its size is capped there.</summary>
    public static byte[] ReadAll(string path, string what) => ModelFile.ReadAllBytes(path, Array.MaxLength, $"llama2.c {what}");
}
