using System.Text.Json;
using System.Text.Json.Nodes;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>The ONNX test models by name, and one loaded copy of each.</summary>
internal static class TestModels
{
    public const string Stories = "stories260K-onnx";
    public const string Gpt2 = "ort-tiny-random-gpt2";
    public const string LlamaFp16 = "ort-tiny-random-llama-fp16";
    public const string TinyFp32 = "benchmodel-tiny-onnx-fp32";
    public const string TinyInt4 = "benchmodel-tiny-onnx-int4";
    public const string TinyLlama2c = "benchmodel-tiny-llama2c";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, OnnxModel> Loaded = [];

    /// <summary>Gets a model folder, failing (never skipping) with a clear message when it is missing.</summary>
    public static string Path(string name)
    {
        string folder = TestData.Model(name);
        TestData.RequireFile(System.IO.Path.Combine(folder, GenAIConfig.FileName));
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

    /// <summary>Copies a model folder's files into <paramref name="target"/> (writable, to be edited) and returns it.</summary>
    public static string Copy(string name, string target)
    {
        foreach (string file in Directory.EnumerateFiles(Path(name)))
        {
            string copy = System.IO.Path.Combine(target, System.IO.Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetAttributes(copy, FileAttributes.Normal);
        }

        return target;
    }

    /// <summary>Rewrites a JSON file (genai_config.json, tokenizer.json, ...) through <paramref name="edit"/>.</summary>
    public static void EditJson(string path, Action<JsonNode> edit)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(path))!;
        edit(document);
        File.WriteAllText(path, document.ToJsonString());
    }

    public static JsonElement[] GoldenCases()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(TestData.GoldenFile));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
