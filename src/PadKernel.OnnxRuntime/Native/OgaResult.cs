using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// GenAI's <c>OgaResult*</c>: null on success, else an error. The one error path of the façade: every native call that
/// returns a result goes through <see cref="Verify"/>, which turns an error into an <see cref="OnnxRuntimeException"/>
/// with GenAI's message and frees the result.
/// </summary>
internal static class OgaResult
{
    /// <summary>Throws <see cref="OnnxRuntimeException"/> when <paramref name="result"/> reports an error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Verify(nint result)
    {
        if (result != 0)
        {
            Throw(result);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint result)
    {
        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(NativeMethods.OgaResultGetError(result)) ?? "unknown error";
        }
        finally
        {
            NativeMethods.OgaDestroyResult(result);
        }

        throw new OnnxRuntimeException(message);
    }
}
