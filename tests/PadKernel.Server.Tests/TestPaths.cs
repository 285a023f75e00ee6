using PadKernel.Testing;

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

    public static string ModelsFolder => TestData.ModelsFolder;

    /// <summary>The repository root (the folder holding PadKernel.sln).</summary>
    public static string RepositoryRoot => TestData.RepositoryRoot;
}
