namespace PadKernel.Models;

/// <summary>
/// Reads model, tokenizer and configuration files defensively: only regular files, only up to a size cap, every
/// failure a <see cref="ModelFormatException"/> naming the file.
/// </summary>
public static class ModelFile
{
    /// <summary>Reads a whole file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="what">What the file is, for messages (for example <c>"llama2.c checkpoint"</c>).</param>
    /// <exception cref="ModelFormatException">
    /// The file is missing, a folder, empty or not a regular file (a device, FIFO or socket: size 0 to
    /// <c>stat</c>; such a file is never opened, since reading it could block or never end), larger than
    /// <paramref name="maxBytes"/>, or unreadable.
    /// </exception>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, (long)Array.MaxLength);
        ArgumentNullException.ThrowIfNull(what);
        long length = CheckRegularFile(path, maxBytes, what);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            var data = new byte[length];
            stream.ReadExactly(data);

            // A file that grew since it was measured is refused rather than read past the cap.
            if (stream.ReadByte() >= 0)
            {
                throw new ModelFormatException(path, $"The {what} file changed size while it was read.");
            }

            return data;
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFormatException(path, $"The {what} file shrank while it was read.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            throw new ModelFormatException(path, $"The {what} file cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Checks that <paramref name="path"/> is a non-empty regular file of at most <paramref name="maxBytes"/> bytes, without opening it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="what">What the file is, for messages.</param>
    /// <returns>The file's size in bytes.</returns>
    /// <exception cref="ModelFormatException">The file is missing, a folder, empty or special, or too large.</exception>
    public static long CheckRegularFile(string path, long maxBytes, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(what);
        if (Directory.Exists(path))
        {
            throw new ModelFormatException(path, $"Expected the {what} file but found a folder.");
        }

        long length;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new ModelFormatException(path, $"The {what} file does not exist.");
            }

            // FileInfo describes a symbolic link itself: measure its final target.
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
                if (!info.Exists)
                {
                    throw new ModelFormatException(path, $"The {what} file is a symbolic link to {info.FullName}, which does not exist or is not a file.");
                }
            }

            length = info.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ModelFormatException(path, $"The {what} file cannot be inspected: {e.Message}", e);
        }

        // Devices, FIFOs and sockets report size 0: refusing every empty file keeps them from being opened at all.
        if (length == 0)
        {
            throw new ModelFormatException(path, $"The {what} file is empty or not a regular file (a device, FIFO or socket); refusing to read it.");
        }

        if (length > maxBytes)
        {
            throw new ModelFormatException(path, $"The {what} file is {length:N0} bytes; the limit is {maxBytes:N0}.");
        }

        return length;
    }
}
