namespace PadKernel.Tokenizers.Tests;

/// <summary>Where the shared models, golden files and the repository live.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Models => Folder("PADKERNEL_MODELS", Path.Combine(RepositoryRoot, "..", "shared", "models"));

    public static string Golden => Folder("PADKERNEL_GOLDEN", Path.Combine(RepositoryRoot, "..", "shared", "golden"));

    /// <summary>The three fixture tokenizer folders.</summary>
    public static readonly string[] FixtureNames = ["stories260K-onnx", "ort-tiny-random-gpt2", "ort-tiny-random-llama-fp16"];

    /// <summary>Gets a model folder, failing with a clear message when it is missing.</summary>
    public static string Model(string name)
    {
        string folder = Path.GetFullPath(Path.Combine(Models, name));
        Assert.True(File.Exists(Path.Combine(folder, "tokenizer.json")), $"Test model missing: {folder}/tokenizer.json (set PADKERNEL_MODELS to the shared models folder).");
        return folder;
    }

    /// <summary>Gets the fixture tokenizer, loaded once per test run (instances are immutable and thread-safe).</summary>
    public static HuggingFaceTokenizer Tokenizer(string name) => Loaded.GetOrAdd(name, n => HuggingFaceTokenizer.Load(Model(n)));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HuggingFaceTokenizer> Loaded = new();

    private static string Folder(string variable, string fallback) =>
        Path.GetFullPath(Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PadKernel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PadKernel.sln not found above " + AppContext.BaseDirectory);
    }
}
