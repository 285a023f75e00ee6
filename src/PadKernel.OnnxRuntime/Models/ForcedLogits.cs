using System.Runtime.InteropServices;
using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// The <c>SetLogits</c> input of a generator: per row, the chosen token's logit is 0 and every other one −∞, so the
/// token is the unique maximum whatever GenAI's search does. A tensor of the type and shape of the generator's own
/// logits, over a pinned buffer that stays −∞ from its creation: a step only moves one 0 per row instead of rewriting
/// rows × vocabulary values.
/// </summary>
internal sealed unsafe class ForcedLogits : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int[] _forcedAt;
    private readonly int _vocabulary;
    private readonly bool _half;

    public ForcedLogits(OgaElementType type, long[] shape, int rows, int vocabulary)
    {
        _half = type == OgaElementType.Float16;
        _vocabulary = vocabulary;
        _buffer = GC.AllocateArray<byte>(rows * vocabulary * (_half ? 2 : 4), pinned: true);
        if (_half)
        {
            MemoryMarshal.Cast<byte, Half>(_buffer.AsSpan()).Fill(Half.NegativeInfinity);
        }
        else
        {
            MemoryMarshal.Cast<byte, float>(_buffer.AsSpan()).Fill(float.NegativeInfinity);
        }

        _forcedAt = new int[rows];
        Array.Fill(_forcedAt, -1);
        Tensor = OgaTensor.FromBuffer((byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, 0), shape, type);
    }

    /// <summary>Gets the tensor over the buffer.</summary>
    public OgaTensor Tensor { get; }

    /// <summary>Makes <paramref name="tokens"/> (one per row) the rows' only finite logits.</summary>
    public void Force(ReadOnlySpan<int> tokens)
    {
        if (_half)
        {
            Force(MemoryMarshal.Cast<byte, Half>(_buffer.AsSpan()), tokens, Half.NegativeInfinity, Half.Zero);
        }
        else
        {
            Force(MemoryMarshal.Cast<byte, float>(_buffer.AsSpan()), tokens, float.NegativeInfinity, 0f);
        }
    }

    public void Dispose() => Tensor.Dispose();

    private void Force<T>(Span<T> values, ReadOnlySpan<int> tokens, T minusInfinity, T zero)
    {
        for (int r = 0; r < _forcedAt.Length; r++)
        {
            if (_forcedAt[r] >= 0)
            {
                values[_forcedAt[r]] = minusInfinity;
            }

            _forcedAt[r] = (r * _vocabulary) + tokens[r];
            values[_forcedAt[r]] = zero;
        }
    }
}
