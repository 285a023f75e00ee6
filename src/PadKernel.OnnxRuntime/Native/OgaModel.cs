namespace PadKernel.OnnxRuntime.Native;

/// <summary>GenAI's <c>OgaModel</c>: the loaded ONNX sessions. Generators and the tokenizer made from it keep it alive.</summary>
internal sealed class OgaModel : GenAIHandle
{
    private OgaModel(nint handle)
        : base(handle)
    {
    }

    public static OgaModel Create(OgaConfig config)
    {
        OgaResult.Verify(NativeMethods.OgaCreateModelFromConfig(config, out nint model));
        return new(model);
    }

    protected override void Destroy(nint value) => NativeMethods.OgaDestroyModel(value);
}
