using PadKernel.Testing;

namespace PadKernel.Llama2c.Tests;

/// <summary>
/// Finds the shared models and golden vectors: $PADKERNEL_MODELS / $PADKERNEL_GOLDEN, or ../shared/models and
/// ../shared/golden beside the repository root (the folder holding PadKernel.sln). A missing folder fails the test
/// with a message that says what to set.
/// </summary>
internal static class TestPaths
{
    public static string Models => TestData.ModelsFolder;

    public static string Golden => TestData.GoldenFolder;

    public static string Stories260KCheckpoint => RequireFile(Path.Combine(Models, "stories260K", "stories260K.bin"));

    public static string Stories260KTokenizer => RequireFile(Path.Combine(Models, "stories260K", "tok512.bin"));

    public static string GoldenFile => RequireFile(Path.Combine(Golden, "pad-stories260K.json"));

    private static string RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"Missing test file {path}. Put stories260K (https://huggingface.co/karpathy/tinyllamas, stories260K/stories260K.bin and tok512.bin) and the golden vectors there, or point PADKERNEL_MODELS / PADKERNEL_GOLDEN elsewhere.");
        }

        return path;
    }
}
