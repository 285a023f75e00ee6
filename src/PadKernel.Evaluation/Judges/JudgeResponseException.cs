namespace PadKernel.Evaluation.Judges;

/// <summary>Thrown when a grader's answer cannot be read as a grade.</summary>
public sealed class JudgeResponseException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="JudgeResponseException"/> class.</summary>
    public JudgeResponseException(string message)
        : base(message)
    {
    }
}
