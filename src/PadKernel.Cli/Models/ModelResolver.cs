using System.Security.Cryptography;
using PadKernel.Models;

namespace PadKernel.Cli.Models;

/// <summary>Turns what the user typed after <c>--model</c> (a path, a model name, or nothing) into a loaded model.</summary>
internal sealed class ModelResolver(IReadOnlyList<IModelLoader> loaders, ModelCache cache)
{
    public ModelCache Cache => cache;

    /// <summary>Resolves <paramref name="model"/>: an existing path as is; otherwise a model name looked up in
    /// <c>PADKERNEL_MODELS</c>, the download cache and the bundled models; nothing means the default model.</summary>
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
            if (!Directory.Exists(folder))
            {
                tried.Add(folder);
                continue;
            }

            // A folder no runtime can load (an interrupted pull left it empty) does not hide the places after it.
            if (!loaders.Any(l => l.CanLoad(folder)))
            {
                tried.Add(folder + " (no model a runtime recognizes)");
                continue;
            }

            if (cache.IsBundled(folder))
            {
                VerifyBundled(name, folder);
            }

            return folder;
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

    // The bundled files come from a checkout: a Git LFS pointer or a damaged copy fails here with the reason, not later
    // as a puzzling format error. Hashing the ~1 MB story model takes a few milliseconds.
    private static void VerifyBundled(string name, string folder)
    {
        if (ModelCatalog.Find(name) is not CatalogModel catalog)
        {
            return;
        }

        foreach (CatalogFile file in catalog.Files)
        {
            string path = Path.Combine(folder, file.Name);
            using FileStream stream = File.OpenRead(path);
            string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != file.Sha256)
            {
                throw new PadKernelException(
                    $"The bundled model file '{path}' has sha256 {actual}, expected {file.Sha256}; the copy is damaged (a Git LFS pointer?). " +
                    $"Run `pad models pull {catalog.Name}` or pass --model PATH.");
            }
        }
    }
}
