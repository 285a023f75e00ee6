namespace PadKernel.Cli.Models;

/// <summary>
/// Where named models are looked up: the folder in <c>PADKERNEL_MODELS</c>, then the download cache, then the models
/// bundled with pad (the story model and its reward models ship in the repository and are copied next to the app and
/// into the tool package).
/// </summary>
/// <param name="ModelsFolder">The folder named by <c>PADKERNEL_MODELS</c>, if set.</param>
/// <param name="CacheFolder">The download cache (<c>PADKERNEL_CACHE</c>, else the user's cache folder).</param>
/// <param name="BundledFolder">The models shipped with the app (<c>models/</c> beside it).</param>
internal sealed record ModelCache(string? ModelsFolder, string CacheFolder, string BundledFolder)
{
    public const string ModelsVariable = "PADKERNEL_MODELS";
    public const string CacheVariable = "PADKERNEL_CACHE";

    public static ModelCache FromEnvironment()
    {
        string? models = Environment.GetEnvironmentVariable(ModelsVariable);
        string? cache = Environment.GetEnvironmentVariable(CacheVariable);
        if (string.IsNullOrEmpty(cache))
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = !string.IsNullOrEmpty(xdg) ? xdg
                : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            cache = Path.Combine(root, "padkernel", "models");
        }

        return new ModelCache(string.IsNullOrEmpty(models) ? null : models, cache, Path.Combine(AppContext.BaseDirectory, "models"));
    }

    /// <summary>The places models are looked up in, in order, each with the words <c>pad models list</c> shows for it.</summary>
    public IEnumerable<(string Folder, string Source)> Locations()
    {
        if (ModelsFolder is not null)
        {
            yield return (ModelsFolder, ModelsVariable);
        }

        yield return (CacheFolder, "download cache");
        yield return (BundledFolder, "bundled");
    }

    /// <summary>
    /// The folders a model name is looked up in, in order. A folder whose name differs from <paramref name="name"/>
    /// only in case is taken when it is the only such one (<c>stories260k</c> finds <c>stories260K</c>).
    /// </summary>
    public IEnumerable<string> SearchFolders(string name)
    {
        foreach ((string root, _) in Locations())
        {
            string exact = Path.Combine(root, name);
            if (Directory.Exists(exact) || !Directory.Exists(root))
            {
                yield return exact;
                continue;
            }

            string[] sameIgnoringCase = Directory.GetDirectories(root)
                .Where(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase))
                .ToArray();
            yield return sameIgnoringCase.Length == 1 ? sameIgnoringCase[0] : exact;
        }
    }

    /// <summary>Whether <paramref name="folder"/> (one of <see cref="SearchFolders"/>) is a bundled model.</summary>
    public bool IsBundled(string folder) =>
        string.Equals(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder)), Path.TrimEndingDirectorySeparator(BundledFolder), StringComparison.Ordinal);
}
