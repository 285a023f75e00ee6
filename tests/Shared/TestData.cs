using Xunit;

namespace PadKernel.Testing;

/// <summary>
/// Where the test data lives. A model folder is looked up by name in <c>$PADKERNEL_MODELS</c> (an override), then in
/// the repository's <c>tests/fixtures/models</c>, then among the bundled models under <c>models/</c>; the golden vectors
/// come from <c>$PADKERNEL_GOLDEN</c>, else <c>tests/fixtures/golden</c>. Missing data fails the test with one line
/// naming what is missing; it never skips.
/// </summary>
internal static class TestData
{
    /// <summary>The folder of the default story model's fixtures and the bundled models.</summary>
    public const string Stories = "stories260K";

    /// <summary>Gets the repository root (the folder holding PadKernel.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Gets the repository's fixture folder (<c>tests/fixtures</c>).</summary>
    public static string FixturesFolder => Path.Combine(RepositoryRoot, "tests", "fixtures");

    /// <summary>Gets the repository's bundled models folder (<c>models</c>).</summary>
    public static string BundledModelsFolder => Path.Combine(RepositoryRoot, "models");

    /// <summary>Gets the golden PAD vectors of stories260K.</summary>
    public static string GoldenFile => RequireFile(Path.Combine(GoldenFolder, "pad-stories260K.json"));

    /// <summary>Gets the folder of the stories260K llama2.c checkpoint and its tokenizer.</summary>
    public static string StoriesFolder => Model(Stories);

    /// <summary>Gets the stories260K checkpoint file.</summary>
    public static string StoriesCheckpoint => RequireFile(Path.Combine(StoriesFolder, "stories260K.bin"));

    /// <summary>Gets the stories260K tokenizer file.</summary>
    public static string StoriesTokenizer => RequireFile(Path.Combine(StoriesFolder, "tok512.bin"));

    private static string GoldenFolder =>
        Environment.GetEnvironmentVariable("PADKERNEL_GOLDEN") is { Length: > 0 } golden
            ? Path.GetFullPath(golden)
            : Path.Combine(FixturesFolder, "golden");

    /// <summary>Gets the folder of a test model by name, failing with one line when no location holds it.</summary>
    public static string Model(string name)
    {
        string[] candidates = ModelLocations().Select(folder => Path.GetFullPath(Path.Combine(folder, name))).ToArray();
        string? found = candidates.FirstOrDefault(Directory.Exists);
        Assert.True(found is not null, $"Test model '{name}' missing: looked in {string.Join(", ", candidates)}. The repository's tests/fixtures hold every test model; check the clone (sha256sum -c tests/fixtures/SHA256SUMS).");
        return found;
    }

    /// <summary>Gets a file inside a test model's folder, failing with one line when it is missing.</summary>
    public static string ModelFile(string name, string file) => RequireFile(Path.Combine(Model(name), file));

    /// <summary>Fails the test when <paramref name="path"/> does not exist; returns it otherwise.</summary>
    public static string RequireFile(string path)
    {
        Assert.True(File.Exists(path), $"Test file missing: {path}.");
        return path;
    }

    private static IEnumerable<string> ModelLocations()
    {
        if (Environment.GetEnvironmentVariable("PADKERNEL_MODELS") is { Length: > 0 } configured)
        {
            yield return configured;
        }

        yield return Path.Combine(FixturesFolder, "models");
        yield return BundledModelsFolder;
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
