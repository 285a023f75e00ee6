namespace PadKernel.OnnxRuntime.Native;

/// <summary>GenAI's <c>OgaConfig</c>: a model folder's <c>genai_config.json</c>, read natively and adjusted before the model is created.</summary>
internal sealed class OgaConfig : GenAIHandle
{
    private OgaConfig(nint handle)
        : base(handle)
    {
    }

    /// <summary>Reads the configuration of a model folder.</summary>
    /// <exception cref="DllNotFoundException">The native GenAI library is missing for this platform.</exception>
    public static OgaConfig Create(string folder)
    {
        OgaResult.Verify(NativeMethods.OgaCreateConfig(folder, out nint config));
        return new(config);
    }

    public void ClearProviders() => OgaResult.Verify(NativeMethods.OgaConfigClearProviders(this));

    public void AppendProvider(string provider) => OgaResult.Verify(NativeMethods.OgaConfigAppendProvider(this, provider));

    public void SetProviderOption(string provider, string key, string value) =>
        OgaResult.Verify(NativeMethods.OgaConfigSetProviderOption(this, provider, key, value));

    /// <summary>Merges a JSON document shaped like <c>genai_config.json</c> over the configuration.</summary>
    public void Overlay(string json) => OgaResult.Verify(NativeMethods.OgaConfigOverlay(this, json));

    protected override void Destroy(nint value) => NativeMethods.OgaDestroyConfig(value);
}
