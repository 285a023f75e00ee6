using System.Collections.Concurrent;
using System.Text;

namespace PadKernel.Tokenizers.Components;

/// <summary>
/// Byte-pair encoding as Hugging Face's <c>BPE</c> model does it: a word starts as one symbol per character (or its
/// UTF-8 bytes as <c>&lt;0xNN&gt;</c> tokens with byte fallback, or the unknown token), then the adjacent pair with
/// the lowest merge rank is merged, leftmost first among equal ranks, until no pair has a merge.
/// </summary>
internal sealed class BpeModel
{
    private const int MaxCachedWordLength = 256;
    private const int MaxCacheEntries = 50_000;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<int, int> _runeIds;
    private readonly Dictionary<long, (int Rank, int Id)> _merges;
    private readonly int[] _byteIds;
    private readonly int _unkId;
    private readonly bool _fuseUnk;
    private readonly bool _ignoreMerges;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public BpeModel(
        Dictionary<string, int> vocab,
        Dictionary<long, (int Rank, int Id)> merges,
        int unkId,
        bool fuseUnk,
        bool byteFallback,
        bool ignoreMerges)
    {
        _vocab = vocab;
        _merges = merges;
        _unkId = unkId;
        _fuseUnk = fuseUnk;
        _ignoreMerges = ignoreMerges;
        _runeIds = new Dictionary<int, int>();
        foreach (var (token, id) in vocab)
        {
            if (Rune.DecodeFromUtf16(token, out Rune rune, out int used) == System.Buffers.OperationStatus.Done && used == token.Length)
            {
                _runeIds[rune.Value] = id;
            }
        }

        _byteIds = new int[256];
        Array.Fill(_byteIds, -1);
        if (byteFallback)
        {
            for (int b = 0; b < 256; b++)
            {
                _byteIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
            }
        }

        ByteFallback = byteFallback;
    }

    /// <summary>Gets whether characters missing from the vocabulary are written as <c>&lt;0xNN&gt;</c> byte tokens.</summary>
    public bool ByteFallback { get; }

    /// <summary>Gets the vocabulary (token text → id).</summary>
    public IReadOnlyDictionary<string, int> Vocabulary => _vocab;

    /// <summary>Encodes one pre-tokenized word and appends its ids.</summary>
    public void Encode(string word, List<int> destination)
    {
        if (word.Length == 0)
        {
            return;
        }

        if (_ignoreMerges && _vocab.TryGetValue(word, out int whole))
        {
            destination.Add(whole);
            return;
        }

        bool cacheable = word.Length <= MaxCachedWordLength;
        if (cacheable && _cache.TryGetValue(word, out int[]? cached))
        {
            destination.AddRange(cached);
            return;
        }

        int before = destination.Count;
        EncodeUncached(word, destination);
        if (cacheable && _cache.Count < MaxCacheEntries)
        {
            _cache.TryAdd(word, destination.GetRange(before, destination.Count - before).ToArray());
        }
    }

    private void EncodeUncached(string word, List<int> destination)
    {
        // Initial symbols.
        var ids = new List<int>(word.Length);
        int i = 0;
        bool previousUnk = false;
        while (i < word.Length)
        {
            int used;
            int runeValue;
            if (Rune.DecodeFromUtf16(word.AsSpan(i), out Rune rune, out used) == System.Buffers.OperationStatus.Done)
            {
                runeValue = rune.Value;
            }
            else
            {
                rune = Rune.ReplacementChar;
                runeValue = word[i];
                used = 1;
            }

            i += used;
            if (_runeIds.TryGetValue(runeValue, out int id))
            {
                ids.Add(id);
                previousUnk = false;
                continue;
            }

            if (ByteFallback && TryAddBytes(rune, ids))
            {
                previousUnk = false;
                continue;
            }

            if (_unkId >= 0)
            {
                if (!(_fuseUnk && previousUnk))
                {
                    ids.Add(_unkId);
                }

                previousUnk = true;
            }
        }

        Merge(ids);
        destination.AddRange(ids);
    }

    private bool TryAddBytes(Rune rune, List<int> ids)
    {
        Span<byte> utf8 = stackalloc byte[4];
        int count = rune.EncodeToUtf8(utf8);
        for (int b = 0; b < count; b++)
        {
            if (_byteIds[utf8[b]] < 0)
            {
                return false;
            }
        }

        for (int b = 0; b < count; b++)
        {
            ids.Add(_byteIds[utf8[b]]);
        }

        return true;
    }

    private void Merge(List<int> ids)
    {
        int n = ids.Count;
        if (n < 2)
        {
            return;
        }

        var symbol = ids.ToArray();
        var next = new int[n];
        var prev = new int[n];
        var alive = new bool[n];
        for (int k = 0; k < n; k++)
        {
            next[k] = k + 1 < n ? k + 1 : -1;
            prev[k] = k - 1;
            alive[k] = true;
        }

        // Min-heap on (rank, left position): the lowest rank first, the leftmost among equal ranks.
        var queue = new PriorityQueue<(int Left, int Right, int Id), long>(n);
        for (int k = 0; k + 1 < n; k++)
        {
            Enqueue(queue, symbol, k, k + 1);
        }

        while (queue.TryDequeue(out var top, out long priority))
        {
            int left = top.Left;
            int right = top.Right;
            if (!alive[left] || !alive[right] || next[left] != right)
            {
                continue;
            }

            // The pair may have changed since it was queued; only a still-valid merge of the same rank applies.
            if (!_merges.TryGetValue(Key(symbol[left], symbol[right]), out var merge) || merge.Id != top.Id || merge.Rank != (int)(priority >> 32))
            {
                continue;
            }

            symbol[left] = merge.Id;
            alive[right] = false;
            next[left] = next[right];
            if (next[right] >= 0)
            {
                prev[next[right]] = left;
            }

            if (prev[left] >= 0)
            {
                Enqueue(queue, symbol, prev[left], left);
            }

            if (next[left] >= 0)
            {
                Enqueue(queue, symbol, left, next[left]);
            }
        }

        ids.Clear();
        for (int k = 0; k >= 0; k = next[k])
        {
            ids.Add(symbol[k]);
        }
    }

    private void Enqueue(PriorityQueue<(int Left, int Right, int Id), long> queue, int[] symbol, int left, int right)
    {
        if (_merges.TryGetValue(Key(symbol[left], symbol[right]), out var merge))
        {
            queue.Enqueue((left, right, merge.Id), ((long)merge.Rank << 32) | (uint)left);
        }
    }

    /// <summary>The dictionary key of the pair (left, right).</summary>
    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
