using System.Security.Cryptography;
using PadKernel.Cli.Errors;
using PadKernel.Models;

namespace PadKernel.Cli.Models;

/// <summary>Turns what the user typed after <c>--model</c> (a path, a model name, or nothing) into a loaded model.</summary>
internal sealed class ModelResolver(IReadOnlyList<IModelLoader> loaders, ModelCache cache)
{
    public ModelCache Cache => cache;

    /// <summary>Resolves <paramref name="model"/>: an existing path as is; otherwise a model name looked up in
    /// <c>PADKERNEL_MODELS</c>, the download cache and the bundled models (a name that differs only in case is found
    /// too); nothing means the default model.</summary>
    /// <param name="model">What the user typed.</param>
    /// <param name="option">The option it came from, named in the error.</param>
    public string ResolvePath(string? model, string option = "--model")
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
                VerifyBundled(folder);
            }

            return folder;
        }

        string? nearest = NearestName.Find(name, Inventory().Select(m => m.Name).Concat(ModelCatalog.All.Select(m => m.Name)));
        string hint = nearest is not null ? $"did you mean '{nearest}'? (`pad models list` shows every model pad can run)"
            : ModelCatalog.Find(name) is not null ? $"run `pad models pull {name}`, set {ModelCache.ModelsVariable} to a folder that holds it, or pass {option} PATH"
            : $"pass {option} the path of a model file or folder, or a name that `pad models list` shows";
        throw new PadKernelException($"Model '{name}' was not found (looked in {string.Join(", ", tried)}); {hint}.");
    }

    /// <summary>Loads the model with the first runtime that recognizes it.</summary>
    /// <param name="model">What the user typed (see <see cref="ResolvePath"/>).</param>
    /// <param name="option">The option it came from, named in errors.</param>
    public ILanguageModel Load(string? model, string option = "--model")
    {
        string path = ResolvePath(model, option);
        foreach (IModelLoader loader in loaders)
        {
            if (loader.CanLoad(path))
            {
                return loader.Load(path);
            }
        }

        throw new PadKernelException(
            $"No runtime recognizes '{path}' ({option}; runtimes: {string.Join(", ", loaders.Select(l => l.Runtime))}). " +
            "Expected a llama2.c checkpoint with its tokenizer beside it, or an ONNX Runtime GenAI folder with genai_config.json.");
    }

    /// <summary>Every model folder pad can run, location by location in lookup order (what <c>pad models list</c> shows).</summary>
    public IReadOnlyList<InstalledModel> Inventory()
    {
        var models = new List<InstalledModel>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string root, string source) in cache.Locations())
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                if (loaders.FirstOrDefault(l => l.CanLoad(folder)) is not IModelLoader loader)
                {
                    continue;
                }

                string name = Path.GetFileName(folder);
                long bytes = new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
                models.Add(new InstalledModel(name, loader.Runtime, bytes, folder, source, Hidden: !seen.Add(name)));
            }
        }

        return models;
    }

    // The bundled files come from a checkout or a package: a Git LFS pointer or a damaged copy fails here with the
    // reason, not later as a puzzling format error. The sums are the catalog's pins and the SHA256SUMS files shipped
    // with the models (models/SHA256SUMS lists its folders' files as NAME/FILE, a folder's own SHA256SUMS its files).
    private void VerifyBundled(string folder)
    {
        string name = Path.GetFileName(folder);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (CatalogFile file in ModelCatalog.Find(name)?.Files ?? [])
        {
            expected[file.Name] = file.Sha256;
        }

        foreach ((string file, string sha) in ReadSums(Path.Combine(cache.BundledFolder, "SHA256SUMS"), name + "/").Concat(ReadSums(Path.Combine(folder, "SHA256SUMS"), "")))
        {
            expected[file] = sha;
        }

        foreach ((string file, string sha) in expected)
        {
            string path = Path.Combine(folder, file);
            using FileStream stream = File.OpenRead(path);
            string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != sha)
            {
                string fix = ModelCatalog.Find(name) is CatalogModel catalog ? $"Run `pad models pull {catalog.Name}` or pass --model PATH." : "Reinstall pad, or pass the model's path.";
                throw new PadKernelException($"The bundled model file '{path}' has sha256 {actual}, expected {sha}; the copy is damaged (a Git LFS pointer?). {fix}");
            }
        }
    }

    private static IEnumerable<(string File, string Sha256)> ReadSums(string sumsFile, string prefix)
    {
        if (!File.Exists(sumsFile))
        {
            yield break;
        }

        foreach (string line in File.ReadLines(sumsFile))
        {
            string[] parts = line.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1].TrimStart('*') is string file && file.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return (file[prefix.Length..], parts[0]);
            }
        }
    }
}
