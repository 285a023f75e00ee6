namespace PadKernel.OnnxRuntime;

/// <summary>Thrown when the native ONNX Runtime library cannot be found or loaded.</summary>
public sealed class OnnxRuntimeNotFoundException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="OnnxRuntimeNotFoundException"/> class.</summary>
    /// <param name="message">What was looked for and where.</param>
    /// <param name="innerException">The loader's error, if any.</param>
    public OnnxRuntimeNotFoundException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
