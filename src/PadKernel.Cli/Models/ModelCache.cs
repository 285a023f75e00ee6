namespace PadKernel.Cli.Models;

/// <summary>
/// Where named models are looked up: the folder in <c>PADKERNEL_MODELS</c>, then the download cache, then the models
/// bundled with pad (the default story model ships in the repository and is copied next to the app).
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

    /// <summary>The folders a model name is looked up in, in order.</summary>
    public IEnumerable<string> SearchFolders(string name)
    {
        if (ModelsFolder is not null)
        {
            yield return Path.Combine(ModelsFolder, name);
        }

        yield return Path.Combine(CacheFolder, name);
        yield return Path.Combine(BundledFolder, name);
    }

    /// <summary>Whether <paramref name="folder"/> (one of <see cref="SearchFolders"/>) is a bundled model.</summary>
    public bool IsBundled(string folder) =>
        string.Equals(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder)), Path.TrimEndingDirectorySeparator(BundledFolder), StringComparison.Ordinal);
}
