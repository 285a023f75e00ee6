using System.Buffers;

namespace PadKernel.Llama2c;

/// <summary>
/// The tokenizer's pending merges as a binary max-heap on a pooled array: best score first, then the leftmost pair,
/// which is the order llama2.c's scan picks them in. Scores compare with <c>&gt;</c> and <c>==</c> as run.c's do, so
/// -0 and +0 tie. A mutable struct: pass it by reference and dispose it once.
/// </summary>
internal struct Llama2cMergeHeap : IDisposable
{
    private Candidate[] _items;
    private int _count;

    public Llama2cMergeHeap(int capacity)
    {
        _items = ArrayPool<Candidate>.Shared.Rent(Math.Max(capacity, 16));
        _count = 0;
    }

    public void Push(Candidate candidate)
    {
        if (_count == _items.Length)
        {
            Candidate[] larger = ArrayPool<Candidate>.Shared.Rent(_items.Length * 2);
            _items.AsSpan(0, _count).CopyTo(larger);
            ArrayPool<Candidate>.Shared.Return(_items);
            _items = larger;
        }

        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Before(candidate, _items[parent]))
            {
                break;
            }

            _items[i] = _items[parent];
            i = parent;
        }

        _items[i] = candidate;
    }

    public bool TryPop(out Candidate top)
    {
        if (_count == 0)
        {
            top = default;
            return false;
        }

        top = _items[0];
        Candidate last = _items[--_count];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && Before(_items[child + 1], _items[child]))
            {
                child++;
            }

            if (!Before(_items[child], last))
            {
                break;
            }

            _items[i] = _items[child];
            i = child;
        }

        if (_count > 0)
        {
            _items[i] = last;
        }

        return true;
    }

    public void Dispose()
    {
        if (_items is not null)
        {
            ArrayPool<Candidate>.Shared.Return(_items);
            _items = null!;
        }
    }

    private static bool Before(in Candidate a, in Candidate b) => a.Score > b.Score || (a.Score == b.Score && a.Left < b.Left);

    /// <summary>Merging the symbols at <paramref name="Left"/> and <paramref name="Right"/>, valid while they still hold these tokens side by side.</summary>
    public readonly record struct Candidate(int Left, int Right, int LeftToken, int RightToken, int Merged, float Score);
}
