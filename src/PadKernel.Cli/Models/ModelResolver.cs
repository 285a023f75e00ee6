using PadKernel.Models;

namespace PadKernel.Cli.Models;

/// <summary>Turns what the user typed after <c>--model</c> (a path, a model name, or nothing) into a loaded model.</summary>
internal sealed class ModelResolver(IReadOnlyList<IModelLoader> loaders, ModelCache cache)
{
    public ModelCache Cache => cache;

    /// <summary>Resolves <paramref name="model"/>: an existing path as is; otherwise a model name looked up in
    /// <c>PADKERNEL_MODELS</c> and then the download cache; nothing means the default model.</summary>
    public string ResolvePath(string? model)
    {
        string name = string.IsNullOrWhiteSpace(model) ? ModelCatalog.DefaultModel : model;
        if (File.Exists(name) || Directory.Exists(name))
        {
            return Path.GetFullPath(name);
        }

        var tried = new List<string>();
        foreach (string folder in cache.SearchFolders(name))
        {
            tried.Add(folder);
            if (Directory.Exists(folder))
            {
                return folder;
            }
        }

        string hint = ModelCatalog.Find(name) is not null
            ? $"run `pad models pull {name}`, set {ModelCache.ModelsVariable} to a folder that holds it, or pass --model PATH"
            : "pass --model with the path of a model file or folder";
        throw new PadKernelException($"Model '{name}' was not found (looked in {string.Join(", ", tried)}); {hint}.");
    }

    /// <summary>Loads the model with the first runtime that recognizes it.</summary>
    public ILanguageModel Load(string? model)
    {
        string path = ResolvePath(model);
        foreach (IModelLoader loader in loaders)
        {
            if (loader.CanLoad(path))
            {
                return loader.Load(path);
            }
        }

        throw new PadKernelException(
            $"No runtime recognizes '{path}' (runtimes: {string.Join(", ", loaders.Select(l => l.Runtime))}). " +
            "Expected a llama2.c checkpoint with its tokenizer beside it, or an ONNX Runtime GenAI folder with genai_config.json.");
    }
}
