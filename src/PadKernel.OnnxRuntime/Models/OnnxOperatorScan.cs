using System.Text;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>Finds whether an <c>.onnx</c> file uses an operator, by looking for its op_type string in the protobuf.</summary>
/// <remarks>
/// The C API does not list a session's nodes. Node op types are stored as plain UTF-8 strings, so a byte search is
/// enough to spot an operator. A false positive only makes decoding more conservative.
/// </remarks>
internal static class OnnxOperatorScan
{
    public static bool Contains(string onnxPath, string opType)
    {
        byte[] needle = Encoding.UTF8.GetBytes(opType);
        byte[] buffer = new byte[(1 << 20) + needle.Length];
        using var stream = new FileStream(onnxPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        int carried = 0;
        while (true)
        {
            int read = stream.Read(buffer, carried, buffer.Length - carried);
            if (read == 0)
            {
                return false;
            }

            int length = carried + read;
            if (buffer.AsSpan(0, length).IndexOf(needle) >= 0)
            {
                return true;
            }

            // Keep the tail so a name split across two reads is still found.
            carried = Math.Min(needle.Length - 1, length);
            buffer.AsSpan(length - carried, carried).CopyTo(buffer);
        }
    }
}
