using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// The base of every <c>Oga*</c> type: owns one GenAI object, and the subclass says how to destroy it. Counts live
/// objects process-wide, so tests (and diagnostics) can prove that cancelled or failed generations free everything
/// they created.
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
