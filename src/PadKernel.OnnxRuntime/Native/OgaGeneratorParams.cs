namespace PadKernel.OnnxRuntime.Native;

/// <summary>GenAI's <c>OgaGeneratorParams</c>: the <c>search</c> options of one generator, starting from the folder's.</summary>
internal sealed class OgaGeneratorParams : GenAIHandle
{
    private OgaGeneratorParams(nint handle)
        : base(handle)
    {
    }

    public static OgaGeneratorParams Create(OgaModel model)
    {
        OgaResult.Verify(NativeMethods.OgaCreateGeneratorParams(model, out nint parameters));
        return new(parameters);
    }

    public void SetSearchOption(string name, double value) => OgaResult.Verify(NativeMethods.OgaGeneratorParamsSetSearchNumber(this, name, value));

    public void SetSearchOption(string name, bool value) => OgaResult.Verify(NativeMethods.OgaGeneratorParamsSetSearchBool(this, name, value));

    public double GetSearchNumber(string name)
    {
        OgaResult.Verify(NativeMethods.OgaGeneratorParamsGetSearchNumber(this, name, out double value));
        return value;
    }

    public bool GetSearchBool(string name)
    {
        OgaResult.Verify(NativeMethods.OgaGeneratorParamsGetSearchBool(this, name, out bool value));
        return value;
    }

    protected override void Destroy(nint value) => NativeMethods.OgaDestroyGeneratorParams(value);
}
