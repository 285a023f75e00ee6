namespace PadKernel;

/// <summary>Base type of the errors PadKernel raises for bad models, bad configuration and bad requests.</summary>
public class PadKernelException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PadKernelException"/> class.</summary>
    public PadKernelException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PadKernelException"/> class.</summary>
    public PadKernelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
