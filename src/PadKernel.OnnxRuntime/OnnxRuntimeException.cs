namespace PadKernel.OnnxRuntime;

/// <summary>An error status returned by ONNX Runtime, with its message and error code.</summary>
public sealed class OnnxRuntimeException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="OnnxRuntimeException"/> class.</summary>
    /// <param name="errorCode">ONNX Runtime's error code.</param>
    /// <param name="message">ONNX Runtime's message, possibly prefixed with what PadKernel was doing.</param>
    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string message)
        : base($"ONNX Runtime error {errorCode}: {message}")
    {
        ErrorCode = errorCode;
    }

    /// <summary>Gets ONNX Runtime's error code.</summary>
    public OnnxRuntimeErrorCode ErrorCode { get; }
}

/// <summary>ONNX Runtime's <c>OrtErrorCode</c> values.</summary>
public enum OnnxRuntimeErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,

    /// <summary>Generic failure.</summary>
    Fail = 1,

    /// <summary>An argument was invalid.</summary>
    InvalidArgument = 2,

    /// <summary>A file was not found.</summary>
    NoSuchFile = 3,

    /// <summary>No model was loaded.</summary>
    NoModel = 4,

    /// <summary>An engine error.</summary>
    EngineError = 5,

    /// <summary>A runtime exception inside ONNX Runtime.</summary>
    RuntimeException = 6,

    /// <summary>The model file is not a valid ONNX protobuf.</summary>
    InvalidProtobuf = 7,

    /// <summary>A model was already loaded.</summary>
    ModelLoaded = 8,

    /// <summary>The operation is not implemented (for example an execution provider missing from this build).</summary>
    NotImplemented = 9,

    /// <summary>The graph is invalid.</summary>
    InvalidGraph = 10,

    /// <summary>An execution provider failed.</summary>
    ExecutionProviderFail = 11,
}
