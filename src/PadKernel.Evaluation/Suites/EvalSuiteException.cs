namespace PadKernel.Evaluation.Suites;

/// <summary>Thrown when a suite file is missing, malformed or inconsistent.</summary>
public sealed class EvalSuiteException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="EvalSuiteException"/> class.</summary>
    public EvalSuiteException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvalSuiteException"/> class with the error that caused it.</summary>
    public EvalSuiteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
