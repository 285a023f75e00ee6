namespace PadKernel.Tokenizers.Tests;

/// <summary>The tokenizer fixtures these tests compare, and one loaded copy of each.</summary>
internal static class TestPaths
{
    /// <summary>The three fixture tokenizer folders.</summary>
    public static readonly string[] FixtureNames = ["stories260K-onnx", "ort-tiny-random-gpt2", "ort-tiny-random-llama-fp16"];

    /// <summary>Gets a model folder, failing with a clear message when it is missing.</summary>
    public static string Model(string name)
    {
        string folder = TestData.Model(name);
        TestData.RequireFile(Path.Combine(folder, "tokenizer.json"));
        return folder;
    }

    /// <summary>Gets the fixture tokenizer, loaded once per test run (instances are immutable and thread-safe).</summary>
    public static HuggingFaceTokenizer Tokenizer(string name) => Loaded.GetOrAdd(name, n => HuggingFaceTokenizer.Load(Model(n)));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HuggingFaceTokenizer> Loaded = new();
}
