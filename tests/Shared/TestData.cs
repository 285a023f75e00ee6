using Xunit;

namespace PadKernel.Testing;

/// <summary>
/// Where the shared test data lives: <c>$PADKERNEL_MODELS</c> / <c>$PADKERNEL_GOLDEN</c>, else <c>../shared/models</c> and
/// <c>../shared/golden</c> beside the repository root (the folder holding PadKernel.sln). Missing data fails the test
/// with a message saying what to set; it never skips.
/// </summary>
internal static class TestData
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ModelsFolder => Folder("PADKERNEL_MODELS", "models");

    public static string GoldenFolder => Folder("PADKERNEL_GOLDEN", "golden");

    public static string GoldenFile => RequireFile(Path.Combine(GoldenFolder, "pad-stories260K.json"));

    /// <summary>Gets the folder of a shared model, failing when it is missing.</summary>
    public static string Model(string name)
    {
        string folder = Path.GetFullPath(Path.Combine(ModelsFolder, name));
        Assert.True(Directory.Exists(folder), $"Test model missing: {folder} (set PADKERNEL_MODELS to the shared models folder; scripts/test.sh points it at ../shared/models).");
        return folder;
    }

    /// <summary>Fails the test when <paramref name="path"/> does not exist; returns it otherwise.</summary>
    public static string RequireFile(string path)
    {
        Assert.True(File.Exists(path), $"Test file missing: {path} (set PADKERNEL_MODELS / PADKERNEL_GOLDEN to the shared folders).");
        return path;
    }

    private static string Folder(string variable, string name)
    {
        string? configured = Environment.GetEnvironmentVariable(variable);
        string folder = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(RepositoryRoot, "..", "shared", name) : configured);
        Assert.True(Directory.Exists(folder), $"Test data folder missing: {folder}. Set {variable} (scripts/test.sh defaults it to ../shared/{name}).");
        return folder;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PadKernel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PadKernel.sln not found above {AppContext.BaseDirectory}.");
    }
}
