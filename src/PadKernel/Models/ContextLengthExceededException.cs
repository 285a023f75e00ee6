namespace PadKernel.Models;

/// <summary>Thrown when a sequence would grow past the model's context length.</summary>
public sealed class ContextLengthExceededException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="ContextLengthExceededException"/> class.</summary>
    public ContextLengthExceededException(int requestedLength, int contextLength)
        : base($"The sequence needs {requestedLength} tokens but the model's context length is {contextLength}.")
    {
        RequestedLength = requestedLength;
        ContextLength = contextLength;
    }

    /// <summary>Gets the length that was asked for.</summary>
    public int RequestedLength { get; }

    /// <summary>Gets the model's context length.</summary>
    public int ContextLength { get; }
}
