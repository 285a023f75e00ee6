using PadKernel.Models;

namespace PadKernel.Llama2c;

/// <summary>File access shared by the checkpoint and tokenizer readers: every I/O failure becomes a <see cref="ModelFormatException"/>.</summary>
internal static class Llama2cFiles
{
    public static byte[] ReadAll(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException(path, Directory.Exists(path)
                ? $"Expected a llama2.c {what} file but found a folder."
                : $"The llama2.c {what} file does not exist.");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            throw new ModelFormatException(path, $"The llama2.c {what} file cannot be read: {e.Message}", e);
        }
    }
}
