namespace PadKernel.Server.Tests;

/// <summary>Finds the test models: <c>PADKERNEL_MODELS</c>, else <c>../shared/models</c> above the repository.</summary>
internal static class TestPaths
{
    public static string StoryModel
    {
        get
        {
            string folder = Path.Combine(ModelsFolder, "stories260K");
            Assert.True(
                File.Exists(Path.Combine(folder, "stories260K.bin")),
                $"The story model is missing: expected {folder}/stories260K.bin. Set PADKERNEL_MODELS to the shared models folder.");
            return folder;
        }
    }

    public static string ModelsFolder
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("PADKERNEL_MODELS");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "models");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            Assert.Fail("PADKERNEL_MODELS is not set and no shared/models folder was found above the test binaries.");
            return "";
        }
    }

    /// <summary>The repository root (the folder holding PadKernel.sln).</summary>
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

            Assert.Fail("PadKernel.sln was not found above the test binaries.");
            return "";
        }
    }
}
