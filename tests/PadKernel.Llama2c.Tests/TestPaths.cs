namespace PadKernel.Llama2c.Tests;

/// <summary>
/// Finds the shared models and golden vectors: $PADKERNEL_MODELS / $PADKERNEL_GOLDEN, or ../shared/models and
/// ../shared/golden beside the repository root (the folder holding PadKernel.sln). A missing folder fails the test
/// with a message that says what to set.
/// </summary>
internal static class TestPaths
{
    public static string Models => Resolve("PADKERNEL_MODELS", "models");

    public static string Golden => Resolve("PADKERNEL_GOLDEN", "golden");

    public static string Stories260KCheckpoint => RequireFile(Path.Combine(Models, "stories260K", "stories260K.bin"));

    public static string Stories260KTokenizer => RequireFile(Path.Combine(Models, "stories260K", "tok512.bin"));

    public static string GoldenFile => RequireFile(Path.Combine(Golden, "pad-stories260K.json"));

    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PadKernel.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"Cannot find the repository root (a folder with PadKernel.sln) above {AppContext.BaseDirectory}.");
        }
    }

    private static string Resolve(string variable, string folder)
    {
        string? configured = Environment.GetEnvironmentVariable(variable);
        string path = string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", folder))
            : configured;
        if (!Directory.Exists(path))
        {
            Assert.Fail($"The test data folder {path} does not exist. Set {variable} to the shared {folder} folder (scripts/test.sh defaults it to ../shared/{folder}).");
        }

        return path;
    }

    private static string RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"Missing test file {path}. Put stories260K (https://huggingface.co/karpathy/tinyllamas, stories260K/stories260K.bin and tok512.bin) and the golden vectors there, or point PADKERNEL_MODELS / PADKERNEL_GOLDEN elsewhere.");
        }

        return path;
    }
}
