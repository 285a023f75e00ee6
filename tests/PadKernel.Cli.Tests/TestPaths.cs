using PadKernel.Testing;

namespace PadKernel.Cli.Tests;

/// <summary>The shared models and golden vectors the CLI tests run on.</summary>
internal static class TestPaths
{
    public static string Models => TestData.ModelsFolder;

    public static string Golden => TestData.GoldenFolder;

    public static string Stories => TestData.Model("stories260K");
}
