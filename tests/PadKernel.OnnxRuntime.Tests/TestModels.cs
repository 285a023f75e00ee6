using System.Text.Json;
using PadKernel.OnnxRuntime.Models;
using PadKernel.Testing;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>Where the shared models and golden files live, and one loaded copy of each test model.</summary>
internal static class TestModels
{
    public const string Stories = "stories260K-onnx";
    public const string Gpt2 = "ort-tiny-random-gpt2";
    public const string LlamaFp16 = "ort-tiny-random-llama-fp16";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, OnnxModel> Loaded = [];

    public static string RepositoryRoot => TestData.RepositoryRoot;

    public static string ModelsFolder => TestData.ModelsFolder;

    public static string GoldenFolder => TestData.GoldenFolder;

    /// <summary>Gets a model folder, failing (never skipping) with a clear message when it is missing.</summary>
    public static string Path(string name)
    {
        string folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(ModelsFolder, name));
        Assert.True(File.Exists(System.IO.Path.Combine(folder, GenAIConfig.FileName)), $"Test model missing: {folder}/{GenAIConfig.FileName} (set PADKERNEL_MODELS to the shared models folder).");
        return folder;
    }

    /// <summary>Gets a shared loaded model (models are thread-safe; every test makes its own sequences).</summary>
    public static OnnxModel Get(string name)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(name, out OnnxModel? model))
            {
                model = OnnxModel.Load(Path(name), Options(name));
                Loaded[name] = model;
            }

            return model;
        }
    }

    /// <summary>
    /// Load options: the gpt2 fixture's tokenizer.json is GPT-2's full 50k vocabulary but the model has 1,000 ids,
    /// so it is loaded without the vocabulary check and driven with ids below 1,000.
    /// </summary>
    public static OnnxRuntimeOptions Options(string name) => new() { ValidateTokenizerVocabulary = name != Gpt2 };

    public static JsonElement[] GoldenCases()
    {
        string file = System.IO.Path.Combine(GoldenFolder, "pad-stories260K.json");
        Assert.True(File.Exists(file), $"Golden file missing: {file} (set PADKERNEL_GOLDEN to the shared golden folder).");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(file));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
