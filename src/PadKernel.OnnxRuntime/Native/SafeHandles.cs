using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>Owns an <c>OrtEnv*</c>.</summary>
internal sealed class OrtEnvHandle : SafeHandle
{
    public OrtEnvHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ReleaseEnv(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtSessionOptions*</c>.</summary>
internal sealed class OrtSessionOptionsHandle : SafeHandle
{
    public OrtSessionOptionsHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ReleaseSessionOptions(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtSession*</c>.</summary>
internal sealed class OrtSessionHandle : SafeHandle
{
    public OrtSessionHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ReleaseSession(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtMemoryInfo*</c>.</summary>
internal sealed class OrtMemoryInfoHandle : SafeHandle
{
    public OrtMemoryInfoHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ReleaseMemoryInfo(handle);
        return true;
    }
}
