namespace PadKernel.Cli.Tests;

/// <summary>Finds the shared models and golden vectors: $PADKERNEL_MODELS / $PADKERNEL_GOLDEN, else ../shared beside the repository.</summary>
internal static class TestPaths
{
    public static string Models => Resolve("PADKERNEL_MODELS", "models");

    public static string Golden => Resolve("PADKERNEL_GOLDEN", "golden");

    public static string Stories => Path.Combine(Models, "stories260K");

    private static string Resolve(string variable, string folder)
    {
        string? path = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(path))
        {
            DirectoryInfo? dir = new(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PadKernel.sln")))
            {
                dir = dir.Parent;
            }

            path = dir is null ? folder : Path.Combine(dir.FullName, "..", "shared", folder);
        }

        Assert.True(Directory.Exists(path), $"Test data folder '{path}' is missing: set {variable} (scripts/test.sh points it at ../shared/{folder}).");
        return Path.GetFullPath(path);
    }
}
