using PadKernel.Testing;

namespace PadKernel.Tokenizers.Tests;

/// <summary>Where the shared models, golden files and the repository live.</summary>
internal static class TestPaths
{
    public static string Models => TestData.ModelsFolder;

    public static string Golden => TestData.GoldenFolder;

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
}
