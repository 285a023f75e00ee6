namespace PadKernel.OnnxRuntime;

/// <summary>Thrown when the requested execution provider (for example CUDA) cannot be added to a session.</summary>
public sealed class ExecutionProviderUnavailableException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="ExecutionProviderUnavailableException"/> class.</summary>
    /// <param name="provider">The provider asked for.</param>
    /// <param name="message">What is missing and how to provide it.</param>
    /// <param name="innerException">ONNX Runtime's error.</param>
    public ExecutionProviderUnavailableException(string provider, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
    }

    /// <summary>Gets the provider that was asked for.</summary>
    public string Provider { get; }
}
