namespace PadKernel.OnnxRuntime;

/// <summary>An error reported by ONNX Runtime GenAI (or ONNX Runtime under it), with GenAI's message.</summary>
public sealed class OnnxRuntimeException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="OnnxRuntimeException"/> class.</summary>
    /// <param name="message">What PadKernel was doing, then GenAI's message.</param>
    public OnnxRuntimeException(string message)
        : base($"ONNX Runtime GenAI: {message}")
    {
    }
}
