namespace PadKernel.Models;

/// <summary>Thrown when a model or tokenizer file is missing, truncated, corrupt or inconsistent.</summary>
public sealed class ModelFormatException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class.</summary>
    /// <param name="path">The file at fault.</param>
    /// <param name="message">What is wrong with it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ModelFormatException(string path, string message, Exception? innerException = null)
        : base($"{path}: {message}", innerException)
    {
        FilePath = path;
    }

    /// <summary>Gets the path of the file at fault.</summary>
    public string FilePath { get; }
}
