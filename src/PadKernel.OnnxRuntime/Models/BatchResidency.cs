using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// The present tensors of the last batched run, kept as the next step's pasts while the same sequences advance together
/// (PAD's base and reward contexts do every step), so neither the copy out nor the copy back in is made. A member
/// copies its rows out (<see cref="OnnxModelSequence.Materialize"/>) before any other use of its cache.
/// </summary>
internal sealed class BatchResidency : IDisposable
{
    private nint[] presents;
    private int attached;

    public BatchResidency(OnnxModelSequence[] members, nint[] presents, int total)
    {
        Members = members;
        this.presents = presents;
        Total = total;
        attached = members.Length;
    }

    ~BatchResidency() => Release();

    /// <summary>Gets the sequences, in row order.</summary>
    public OnnxModelSequence[] Members { get; }

    /// <summary>Gets the positions per row of the present tensors (the longest member's length).</summary>
    public int Total { get; private set; }

    /// <summary>Gets present tensor <paramref name="index"/> (an OrtValue the residency owns).</summary>
    public nint Present(int index) => presents[index];

    /// <summary>Returns whether <paramref name="sequences"/> are exactly the members, in row order.</summary>
    public bool Matches(ReadOnlySpan<OnnxModelSequence> sequences)
    {
        if (sequences.Length != Members.Length || attached != Members.Length)
        {
            return false;
        }

        for (int i = 0; i < sequences.Length; i++)
        {
            if (!ReferenceEquals(sequences[i], Members[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Takes ownership of the next step's presents (one more position per row), releasing the current ones.</summary>
    public void Advance(Span<nint> next, int total)
    {
        for (int i = 0; i < presents.Length; i++)
        {
            NativeMethods.ReleaseValue(presents[i]);
            presents[i] = next[i];
            next[i] = 0;
        }

        Total = total;
    }

    /// <summary>A member no longer reads from this residency; the tensors go when the last one leaves.</summary>
    public void Detach()
    {
        if (--attached <= 0)
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        nint[] values = Interlocked.Exchange(ref presents, []);
        foreach (nint value in values)
        {
            if (value != 0)
            {
                NativeMethods.ReleaseValue(value);
            }
        }
    }
}
