namespace PadKernel.OnnxRuntime;

/// <summary>A session input or output as the model declares it.</summary>
/// <param name="Name">The input or output name.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Shape">The dimensions; -1 marks a symbolic (dynamic) dimension.</param>
public sealed record TensorInfo(string Name, TensorElementType ElementType, IReadOnlyList<long> Shape)
{
    /// <summary>Gets the size in bytes of one element, or 0 for types PadKernel does not move around.</summary>
    public int ElementSize => ElementType switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Int16 or TensorElementType.UInt16 => 2,
        TensorElementType.Bool or TensorElementType.Int8 or TensorElementType.UInt8 => 1,
        _ => 0,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {ElementType}[{string.Join(", ", Shape.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
}
