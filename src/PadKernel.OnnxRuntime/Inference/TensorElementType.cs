namespace PadKernel.OnnxRuntime;

/// <summary>ONNX tensor element types (ONNX Runtime's <c>ONNXTensorElementDataType</c>).</summary>
public enum TensorElementType
{
    /// <summary>Not a tensor, or unknown.</summary>
    Undefined = 0,

    /// <summary>32-bit float.</summary>
    Float = 1,

    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,

    /// <summary>Signed byte.</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 7,

    /// <summary>String.</summary>
    String = 8,

    /// <summary>Boolean.</summary>
    Bool = 9,

    /// <summary>IEEE 754 half-precision float.</summary>
    Float16 = 10,

    /// <summary>64-bit float.</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,

    /// <summary>Complex of two floats.</summary>
    Complex64 = 14,

    /// <summary>Complex of two doubles.</summary>
    Complex128 = 15,

    /// <summary>bfloat16.</summary>
    BFloat16 = 16,
}
