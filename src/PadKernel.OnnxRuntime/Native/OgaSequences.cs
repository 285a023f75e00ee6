namespace PadKernel.OnnxRuntime.Native;

/// <summary>GenAI's <c>OgaSequences</c>: a list of token sequences (the prompts of a batched generator, or a tokenizer's output).</summary>
internal sealed unsafe class OgaSequences : GenAIHandle
{
    private OgaSequences(nint handle)
        : base(handle)
    {
    }

    public static OgaSequences Create()
    {
        OgaResult.Verify(NativeMethods.OgaCreateSequences(out nint sequences));
        return new(sequences);
    }

    /// <summary>Creates a list holding <paramref name="sequences"/>, in order.</summary>
    public static OgaSequences Create(IEnumerable<IReadOnlyList<int>> sequences)
    {
        OgaSequences list = Create();
        try
        {
            foreach (IReadOnlyList<int> sequence in sequences)
            {
                list.Append([.. sequence]);
            }

            return list;
        }
        catch
        {
            list.Dispose();
            throw;
        }
    }

    public void Append(ReadOnlySpan<int> tokens)
    {
        fixed (int* p = tokens)
        {
            OgaResult.Verify(NativeMethods.OgaAppendTokenSequence(p, (nuint)tokens.Length, this));
        }
    }

    /// <summary>Gets sequence <paramref name="index"/>, valid while this list lives.</summary>
    public ReadOnlySpan<int> this[int index] =>
        new(NativeMethods.OgaSequencesGetSequenceData(this, (nuint)index), (int)NativeMethods.OgaSequencesGetSequenceCount(this, (nuint)index));

    protected override void Destroy(nint value) => NativeMethods.OgaDestroySequences(value);
}
