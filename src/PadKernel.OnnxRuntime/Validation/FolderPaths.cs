namespace PadKernel.OnnxRuntime.Validation;

/// <summary>Resolves paths through symbolic links, so a file named inside a model folder can be checked to stay there.</summary>
internal static class FolderPaths
{
    private const int MaxLinks = 40;

    private static readonly StringComparison PathComparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The absolute path with every symbolic link along it replaced by its target (missing parts kept as written).</summary>
    /// <exception cref="IOException">The links loop or nest too deeply.</exception>
    public static string RealPath(string path) => Resolve(path, 0);

    /// <summary>Whether <paramref name="path"/> lies strictly inside <paramref name="folder"/> (both real paths).</summary>
    public static bool IsInside(string path, string folder)
    {
        string prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.Length > prefix.Length && path.StartsWith(prefix, PathComparison);
    }

    private static string Resolve(string path, int links)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? string.Empty;
        string current = root;
        foreach (string part in full[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (info.LinkTarget is string target)
            {
                if (links >= MaxLinks)
                {
                    throw new IOException($"More than {MaxLinks} symbolic links along {path}.");
                }

                // The prefix is already real, so a relative target (even with "..") resolves correctly against it.
                candidate = Resolve(Path.IsPathRooted(target) ? target : Path.Combine(current, target), links + 1);
            }

            current = candidate;
        }

        return current;
    }
}
