using PadKernel.Models;

namespace PadKernel.Llama2c;

/// <summary>
/// Recognizes and loads llama2.c models: a <c>.bin</c> checkpoint with its tokenizer (<c>tokenizer.bin</c> or
/// <c>tok*.bin</c>) in the same folder, or a folder that holds exactly one such pair (for example <c>stories260K/</c>).
/// </summary>
public sealed class Llama2cModelLoader : IModelLoader
{
    /// <summary>The runtime name reported in <see cref="ModelInfo.Runtime"/>.</summary>
    public const string RuntimeName = "llama2c";

    private readonly Llama2cModelOptions? _options;

    /// <summary>Initializes a new instance of the <see cref="Llama2cModelLoader"/> class.</summary>
    /// <param name="options">Options applied to every model it loads.</param>
    public Llama2cModelLoader(Llama2cModelOptions? options = null)
    {
        _options = options;
    }

    /// <inheritdoc />
    public string Runtime => RuntimeName;

    /// <inheritdoc />
    public bool CanLoad(string path)
    {
        try
        {
            return TryResolve(path, out _, out _, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ILanguageModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!TryResolve(path, out string? checkpoint, out string? tokenizer, out string? problem))
        {
            throw new ModelFormatException(path, problem);
        }

        return Llama2cModel.Load(checkpoint, tokenizer, _options);
    }

    /// <summary>Whether <paramref name="fileName"/> names a llama2.c tokenizer (<c>tokenizer.bin</c> or <c>tok*.bin</c>).</summary>
    private static bool IsTokenizerName(string fileName) =>
        fileName.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) && fileName.StartsWith("tok", StringComparison.OrdinalIgnoreCase);

    private static bool TryResolve(
        string? path,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? checkpoint,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? tokenizer,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        checkpoint = null;
        tokenizer = null;
        if (string.IsNullOrEmpty(path))
        {
            problem = "No path was given.";
            return false;
        }

        string folder;
        if (Directory.Exists(path))
        {
            folder = path;
            string[] checkpoints = Directory.GetFiles(folder, "*.bin").Where(f => !IsTokenizerName(Path.GetFileName(f))).ToArray();
            if (checkpoints.Length != 1)
            {
                problem = checkpoints.Length == 0
                    ? "The folder holds no llama2.c checkpoint (.bin other than tok*.bin)."
                    : $"The folder holds {checkpoints.Length} candidate checkpoints ({string.Join(", ", checkpoints.Select(Path.GetFileName))}); name the one to load.";
                return false;
            }

            checkpoint = checkpoints[0];
        }
        else if (File.Exists(path))
        {
            if (!path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || IsTokenizerName(Path.GetFileName(path)))
            {
                problem = "Not a llama2.c checkpoint: expected a .bin file that is not a tokenizer.";
                return false;
            }

            checkpoint = path;
            folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        }
        else
        {
            problem = "The model path does not exist.";
            return false;
        }

        string standard = Path.Combine(folder, "tokenizer.bin");
        string[] tokenizers = File.Exists(standard)
            ? [standard]
            : Directory.GetFiles(folder, "tok*.bin").Where(f => IsTokenizerName(Path.GetFileName(f))).ToArray();
        if (tokenizers.Length != 1)
        {
            checkpoint = null;
            problem = tokenizers.Length == 0
                ? $"No llama2.c tokenizer (tokenizer.bin or tok*.bin) beside the checkpoint in {folder}."
                : $"Several tokenizers beside the checkpoint in {folder} ({string.Join(", ", tokenizers.Select(Path.GetFileName))}); keep one or name tokenizer.bin.";
            return false;
        }

        tokenizer = tokenizers[0];
        problem = null;
        return true;
    }
}
