using PadKernel.Models;
using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// One sequence of an <see cref="OnnxModel"/>: its KV cache (one buffer per past input, laid out
/// <c>[planes, heads, length, head_size]</c> in the model's own element type, so fp16 stays fp16) and its logits.
/// </summary>
public sealed class OnnxModelSequence : IModelSequence
{
    private readonly OnnxModel model;
    private readonly float[] logits;
    private byte[][] cache;
    private int capacity;
    private bool hasLogits;
    private bool disposed;
    private BatchResidency? residency;
    private int residentRow;
    private int residentOffset;

    internal OnnxModelSequence(OnnxModel model)
    {
        this.model = model;
        logits = new float[model.Info.VocabularySize];
        cache = new byte[model.Binding.Past.Length][];
        capacity = 0;
        EnsureCapacity(16);
    }

    /// <inheritdoc/>
    public ILanguageModel Model => model;

    /// <inheritdoc/>
    public int Length { get; private set; }

    /// <inheritdoc/>
    public bool HasLogits => hasLogits;

    /// <inheritdoc/>
    public ReadOnlySpan<float> Logits => hasLogits ? logits : throw new InvalidOperationException("The sequence has no logits: append a token first.");

    /// <summary>Gets the bytes of one position of one cache tensor, for all planes and heads together.</summary>
    internal int BytesPerPosition => model.Binding.Planes * model.Binding.Heads * model.Binding.HeadSize * model.Binding.CacheElementSize;

    internal float[] LogitsBuffer => logits;

    /// <inheritdoc/>
    public void Append(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("At least one token is needed.", nameof(tokens));
        }

        model.Append(this, tokens);
    }

    /// <inheritdoc/>
    public void Rewind(int length)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        Materialize();
        if (length != Length)
        {
            Relayout(Length, length, 0);
            Length = length;
        }

        hasLogits = false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        residency?.Detach();
        residency = null;
        disposed = true;
        hasLogits = false;
        cache = [];
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    /// <summary>Gets the batch whose present tensors hold this sequence's cache, if any.</summary>
    internal BatchResidency? Residency => residency;

    /// <summary>Records that row <paramref name="row"/> of <paramref name="batch"/> now holds this sequence's cache, after <paramref name="offset"/> padding positions.</summary>
    internal void Reside(BatchResidency batch, int row, int offset)
    {
        residency?.Detach();
        residency = batch;
        residentRow = row;
        residentOffset = offset;
    }

    /// <summary>Copies this sequence's rows out of its batch residency (if any) into its own cache.</summary>
    internal unsafe void Materialize()
    {
        if (residency is not { } batch)
        {
            return;
        }

        EnsureCapacity(Length);
        for (int c = 0; c < cache.Length; c++)
        {
            StorePresent(c, (byte*)NativeMethods.GetTensorData(batch.Present(c)), batch.Members.Length, residentRow, batch.Total, residentOffset, Length);
        }

        residency = null;
        batch.Detach();
    }

    /// <summary>Gets cache tensor <paramref name="index"/>: <c>[planes, heads, Length, head_size]</c>, contiguous, pinned.</summary>
    internal byte[] CacheBuffer(int index) => cache[index];

    /// <summary>Makes room for <paramref name="length"/> positions, keeping the current contents' layout.</summary>
    internal void EnsureCapacity(int length)
    {
        if (length <= capacity)
        {
            return;
        }

        int newCapacity = Math.Max(length, Math.Max(16, capacity * 2));
        newCapacity = Math.Min(Math.Max(newCapacity, length), Math.Max(length, model.Info.ContextLength));
        int bytes = newCapacity * BytesPerPosition;
        // A sequence whose cache lives in a batch residency has nothing valid of its own to keep.
        int used = residency is null ? Length * BytesPerPosition : 0;
        for (int i = 0; i < cache.Length; i++)
        {
            // Pinned so that tensors can point at the cache directly, with no copy and no per-call pinning.
            byte[] grown = GC.AllocateUninitializedArray<byte>(Math.Max(bytes, 1), pinned: true);
            if (cache[i] is { } old)
            {
                old.AsSpan(0, used).CopyTo(grown);
            }

            cache[i] = grown;
        }

        capacity = newCapacity;
    }

    /// <summary>
    /// Stores positions <c>[offset, offset + newLength)</c> of row <paramref name="row"/> of a present tensor
    /// <c>[planes, batch, heads, total, head_size]</c> as this sequence's cache of <paramref name="newLength"/> positions.
    /// </summary>
    internal unsafe void StorePresent(int index, byte* present, int batch, int row, int total, int offset, int newLength) =>
        CopyBlocks(index, present, batch, row, total, offset, newLength, toBatch: false);

    /// <summary>Copies this sequence's cache into positions <c>[offset, total)</c> of row <paramref name="row"/> of a batched past tensor, zeroing the padding before it.</summary>
    internal unsafe void LoadPast(int index, byte* past, int batch, int row, int total, int offset) =>
        CopyBlocks(index, past, batch, row, total, offset, Length, toBatch: true);

    private unsafe void CopyBlocks(int index, byte* tensor, int batch, int row, int total, int offset, int length, bool toBatch)
    {
        DecoderBinding b = model.Binding;
        int rowBytes = b.HeadSize * b.CacheElementSize;
        Span<byte> own = cache[index];
        int heads = b.Heads;
        for (int p = 0; p < b.Planes; p++)
        {
            for (int h = 0; h < heads; h++)
            {
                byte* block = tensor + (((((long)p * batch + row) * heads + h) * total) * rowBytes);
                Span<byte> mine = own.Slice(((p * heads) + h) * length * rowBytes, length * rowBytes);
                var theirs = new Span<byte>(block + ((long)offset * rowBytes), length * rowBytes);
                if (toBatch)
                {
                    // Left padding: the positions before the sequence's own are zero and masked out.
                    new Span<byte>(block, offset * rowBytes).Clear();
                    mine.CopyTo(theirs);
                }
                else
                {
                    theirs.CopyTo(mine);
                }
            }
        }
    }

    internal void Advance(int newLength)
    {
        Length = newLength;
        hasLogits = true;
    }

    internal void InvalidateLogits() => hasLogits = false;

    private void Relayout(int oldLength, int newLength, int start)
    {
        DecoderBinding b = model.Binding;
        int rowBytes = b.HeadSize * b.CacheElementSize;
        int blocks = b.Planes * b.Heads;
        foreach (byte[] buffer in cache)
        {
            // Shrinking only: block k moves from k*oldLength to k*newLength, which never overtakes unread data.
            for (int k = 0; k < blocks; k++)
            {
                buffer.AsSpan((k * oldLength + start) * rowBytes, newLength * rowBytes).CopyTo(buffer.AsSpan(k * newLength * rowBytes));
            }
        }
    }
}
