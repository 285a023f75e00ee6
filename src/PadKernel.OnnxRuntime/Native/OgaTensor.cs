namespace PadKernel.OnnxRuntime.Native;

/// <summary>GenAI's <c>OgaElementType</c> values PadKernel uses.</summary>
internal enum OgaElementType
{
    Float32 = 1,
    Float16 = 10,
}

/// <summary>GenAI's <c>OgaTensor</c> over a buffer PadKernel owns (the logits a generator is given with <c>SetLogits</c>).</summary>
internal sealed unsafe class OgaTensor : GenAIHandle
{
    private OgaTensor(nint handle)
        : base(handle)
    {
    }

    /// <summary>Creates a tensor over <paramref name="data"/>, which must stay pinned while the tensor lives.</summary>
    public static OgaTensor FromBuffer(void* data, ReadOnlySpan<long> shape, OgaElementType type)
    {
        fixed (long* s = shape)
        {
            OgaResult.Verify(NativeMethods.OgaCreateTensorFromBuffer(data, s, (nuint)shape.Length, type, out nint tensor));
            return new(tensor);
        }
    }

    protected override void Destroy(nint value) => NativeMethods.OgaDestroyTensor(value);
}

/// <summary>
/// An <c>OgaTensor</c> GenAI returns for one read (<c>GetLogits</c>, every step), destroyed by <see cref="Dispose"/>.
/// A ref struct over the raw pointer, so the per-token read allocates nothing (a <see cref="GenAIHandle"/> would).
/// </summary>
internal readonly unsafe ref struct OgaTensorView
{
    private readonly nint _tensor;

    internal OgaTensorView(nint tensor) => _tensor = tensor;

    public OgaElementType Type
    {
        get
        {
            OgaResult.Verify(NativeMethods.OgaTensorGetType(_tensor, out OgaElementType type));
            return type;
        }
    }

    public void* Data
    {
        get
        {
            OgaResult.Verify(NativeMethods.OgaTensorGetData(_tensor, out void* data));
            return data;
        }
    }

    /// <summary>Gets the shape (at most 8 dimensions).</summary>
    public long[] GetShape()
    {
        OgaResult.Verify(NativeMethods.OgaTensorGetShapeRank(_tensor, out nuint rank));
        if (rank > 8)
        {
            throw new OnnxRuntimeException($"GenAI returned a tensor of rank {rank}.");
        }

        long[] shape = new long[(int)rank];
        fixed (long* s = shape)
        {
            OgaResult.Verify(NativeMethods.OgaTensorGetShape(_tensor, s, rank));
        }

        return shape;
    }

    public void Dispose() => NativeMethods.OgaDestroyTensor(_tensor);
}
