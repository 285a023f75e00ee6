using PadKernel.Models;

namespace PadKernel.Llama2c;

/// <summary>File access shared by the checkpoint and tokenizer readers: every I/O failure becomes a <see cref="ModelFormatException"/>.</summary>
internal static class Llama2cFiles
{
    /// <summary>Reads a whole regular file; the whole checkpoint lives in one array, so its size is capped there.</summary>
    public static byte[] ReadAll(string path, string what) => ModelFile.ReadAllBytes(path, Array.MaxLength, $"llama2.c {what}");

    /// <summary>Checks that the file is a regular file that fits one array; returns its size.</summary>
    public static long CheckFile(string path, string what) => ModelFile.CheckRegularFile(path, Array.MaxLength, $"llama2.c {what}");

    /// <summary>Reads up to <paramref name="count"/> bytes from the start of a file already checked with <see cref="CheckFile"/>.</summary>
    public static byte[] ReadPrefix(string path, string what, int count)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var prefix = new byte[count];
            int read = stream.ReadAtLeast(prefix, count, throwOnEndOfStream: false);
            return prefix[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, $"The llama2.c {what} file cannot be read: {e.Message}", e);
        }
    }
}
