namespace PadKernel.Models;

/// <summary>Loads models of one runtime from files on disk; hosts pick the first loader that recognizes a path.</summary>
public interface IModelLoader
{
    /// <summary>Gets the runtime's name, for messages and metadata (for example <c>llama2c</c>).</summary>
    string Runtime { get; }

    /// <summary>Returns whether <paramref name="path"/> (a file or a folder) looks like a model of this runtime. Never throws for a missing path.</summary>
    bool CanLoad(string path);

    /// <summary>Loads the model at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">A file is missing, truncated, corrupt or inconsistent.</exception>
    ILanguageModel Load(string path);
}
