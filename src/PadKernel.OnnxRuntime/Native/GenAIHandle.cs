using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// Owns one GenAI object; the subclass says how to destroy it. Counts live objects process-wide, so tests (and
/// diagnostics) can prove that cancelled or failed generations free everything they created.
/// </summary>
internal abstract class GenAIHandle : SafeHandle
{
    private static long live;

    protected GenAIHandle(nint handle)
        : base(0, ownsHandle: true)
    {
        SetHandle(handle);
        if (handle != 0)
        {
            Interlocked.Increment(ref live);
        }
    }

    /// <summary>Gets the number of GenAI objects created through PadKernel and not yet destroyed.</summary>
    public static long LiveCount => Interlocked.Read(ref live);

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <inheritdoc/>
    protected sealed override bool ReleaseHandle()
    {
        Destroy(handle);
        Interlocked.Decrement(ref live);
        return true;
    }

    protected abstract void Destroy(nint value);
}

/// <summary>Owns an <c>OgaConfig*</c>.</summary>
internal sealed class ConfigHandle(nint value) : GenAIHandle(value)
{
    protected override void Destroy(nint value) => NativeMethods.OgaDestroyConfig(value);
}

/// <summary>Owns an <c>OgaModel*</c>.</summary>
internal sealed class ModelHandle(nint value) : GenAIHandle(value)
{
    protected override void Destroy(nint value) => NativeMethods.OgaDestroyModel(value);
}

/// <summary>Owns an <c>OgaGeneratorParams*</c>.</summary>
internal sealed class GeneratorParamsHandle(nint value) : GenAIHandle(value)
{
    protected override void Destroy(nint value) => NativeMethods.OgaDestroyGeneratorParams(value);
}

/// <summary>Owns an <c>OgaGenerator*</c>.</summary>
internal sealed class GeneratorHandle(nint value) : GenAIHandle(value)
{
    protected override void Destroy(nint value) => NativeMethods.OgaDestroyGenerator(value);
}

/// <summary>Owns an <c>OgaSequences*</c>.</summary>
internal sealed class SequencesHandle(nint value) : GenAIHandle(value)
{
    protected override void Destroy(nint value) => NativeMethods.OgaDestroySequences(value);
}

/// <summary>Owns an <c>OgaTensor*</c>.</summary>
internal sealed class TensorHandle(nint value) : GenAIHandle(value)
{
    protected override void Destroy(nint value) => NativeMethods.OgaDestroyTensor(value);
}

/// <summary>Owns an <c>OgaTokenizer*</c>.</summary>
internal sealed class TokenizerHandle(nint value) : GenAIHandle(value)
{
    protected override void Destroy(nint value) => NativeMethods.OgaDestroyTokenizer(value);
}
