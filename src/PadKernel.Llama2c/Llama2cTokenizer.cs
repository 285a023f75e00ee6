using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Llama2c;

/// <summary>
/// The llama2.c tokenizer (<c>tokenizer.bin</c>, <c>tok512.bin</c>): a SentencePiece-style BPE vocabulary of scored
/// pieces with byte fallback. Encoding follows llama2.c: a dummy-prefix space at the start of the text, one piece per
/// UTF-8 code point (or its bytes as <c>&lt;0xNN&gt;</c> tokens, id = byte + 3), then repeated merging of the
/// adjacent pair whose merged piece scores best.
/// </summary>
/// <remarks>
/// File format: int32 <c>max_token_length</c>, then per token a float32 score, an int32 byte length and the piece's
/// bytes, up to the end of the file. Ids 0, 1 and 2 are <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c> (BOS) and
/// <c>&lt;/s&gt;</c> (EOS). Instances are immutable and thread-safe.
/// </remarks>
public sealed class Llama2cTokenizer : ITokenizer
{
    /// <summary>The id of <c>&lt;unk&gt;</c>.</summary>
    public const int UnknownTokenId = 0;

    /// <summary>The id of the beginning-of-sequence token <c>&lt;s&gt;</c>.</summary>
    public const int BosTokenId = 1;

    /// <summary>The id of the end-of-sequence token <c>&lt;/s&gt;</c>.</summary>
    public const int EosTokenId = 2;

    // Byte-fallback tokens follow the three control tokens: <0x00> is id 3.
    private const int ByteTokenOffset = 3;

    // llama2.c's initial best-merge score.
    private const float NoMergeScore = -1e10f;

    private readonly byte[][] _pieces;
    private readonly float[] _scores;
    private readonly byte[]?[] _rawBytes;

    // Pieces are keyed by their bytes widened one-to-one to chars (Latin-1), so any byte string is a lossless key and
    // the merge loop can look up a concatenation held in a char buffer without allocating.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _spaceId;

    private Llama2cTokenizer(string path, int maxTokenLength, byte[][] pieces, float[] scores)
    {
        FilePath = path;
        MaxTokenLength = maxTokenLength;
        _pieces = pieces;
        _scores = scores;
        _rawBytes = new byte[]?[pieces.Length];
        var lookup = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (int id = 0; id < pieces.Length; id++)
        {
            if (TryParseByteToken(pieces[id], out byte value))
            {
                _rawBytes[id] = [value];
                continue;
            }

            // Control tokens are never produced from text: "<s>" typed by a user stays plain text.
            if (id > EosTokenId)
            {
                lookup.TryAdd(Encoding.Latin1.GetString(pieces[id]), id);
            }
        }

        _lookup = lookup.GetAlternateLookup<ReadOnlySpan<char>>();
        _spaceId = _lookup.TryGetValue(" ", out int space) ? space : -1;

        // Encode emits only looked-up pieces and single-byte fallback tokens.
        int longest = 1;
        foreach (string key in lookup.Keys)
        {
            longest = Math.Max(longest, key.Length);
        }

        MaxBytesPerToken = longest;
    }

    /// <summary>Gets the path the tokenizer was loaded from.</summary>
    public string FilePath { get; }

    /// <summary>Gets the longest piece length in bytes, as recorded in the file header.</summary>
    public int MaxTokenLength { get; }

    /// <inheritdoc />
    public int VocabularySize => _pieces.Length;

    /// <inheritdoc />
    /// <remarks>The longest piece text can merge into (the byte-fallback tokens stand for one byte each).</remarks>
    public int MaxBytesPerToken { get; }

    /// <summary>Loads a llama2.c tokenizer file.</summary>
    /// <param name="path">The tokenizer file (for example <c>tok512.bin</c>).</param>
    /// <exception cref="ModelFormatException">The file is missing, truncated or corrupt.</exception>
    public static Llama2cTokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data = Llama2cFiles.ReadAll(path, "tokenizer");
        if (data.Length < 4)
        {
            throw new ModelFormatException(path, $"The tokenizer file is {data.Length} bytes long; it is too short to hold the 4-byte header.");
        }

        int maxTokenLength = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (maxTokenLength <= 0 || maxTokenLength > 1 << 16)
        {
            throw new ModelFormatException(path, $"The tokenizer header gives a maximum token length of {maxTokenLength}; expected a positive value of at most 65536.");
        }

        var pieces = new List<byte[]>();
        var scores = new List<float>();
        int offset = 4;
        while (offset < data.Length)
        {
            int id = pieces.Count;
            if (data.Length - offset < 8)
            {
                throw new ModelFormatException(path, $"The tokenizer file is truncated: token {id} at byte {offset} has no complete score and length.");
            }

            float score = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(offset));
            int length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 4));
            offset += 8;
            if (float.IsNaN(score))
            {
                throw new ModelFormatException(path, $"Token {id} has a NaN score; the tokenizer file is corrupt.");
            }

            if (length < 0 || length > maxTokenLength)
            {
                throw new ModelFormatException(path, $"Token {id} claims a length of {length} bytes, outside 0..{maxTokenLength} (the header's maximum token length); the tokenizer file is corrupt.");
            }

            if (data.Length - offset < length)
            {
                throw new ModelFormatException(path, $"The tokenizer file is truncated: token {id} needs {length} bytes at byte {offset} but only {data.Length - offset} remain.");
            }

            pieces.Add(data.AsSpan(offset, length).ToArray());
            scores.Add(score);
            offset += length;
        }

        // Encoding falls back to id byte + 3 for any byte the vocabulary lacks (as run.c does), so those 256 ids must
        // exist and be the byte tokens, or text would encode to ids past the vocabulary or to unrelated pieces.
        if (pieces.Count < ByteTokenOffset + 256)
        {
            throw new ModelFormatException(path, $"The tokenizer holds {pieces.Count} tokens; a llama2.c vocabulary needs <unk>, <s>, </s> and the 256 byte-fallback tokens <0x00>..<0xFF> (ids 3..258), so at least 259.");
        }

        for (int b = 0; b < 256; b++)
        {
            if (!TryParseByteToken(pieces[b + ByteTokenOffset], out byte value) || value != b)
            {
                throw new ModelFormatException(path, $"Token {b + ByteTokenOffset} is \"{Encoding.Latin1.GetString(pieces[b + ByteTokenOffset])}\"; a llama2.c vocabulary keeps the byte-fallback token <0x{b:X2}> there.");
            }
        }

        return new Llama2cTokenizer(path, maxTokenLength, [.. pieces], [.. scores]);
    }

    /// <summary>Gets the score of a token (its merge priority).</summary>
    public float GetScore(int tokenId)
    {
        CheckId(tokenId);
        return _scores[tokenId];
    }

    /// <summary>Gets the raw piece bytes of a token as stored in the file (for example <c>" the"</c> or <c>"&lt;0x0A&gt;"</c>).</summary>
    public ReadOnlySpan<byte> GetPiece(int tokenId)
    {
        CheckId(tokenId);
        return _pieces[tokenId];
    }

    /// <inheritdoc />
    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true) =>
        EncodeCancellable(text, destination, atStartOfText, CancellationToken.None);

    /// <inheritdoc />
    /// <remarks>Runs in O(n log n) for n UTF-8 bytes and checks <paramref name="cancellationToken"/> every few thousand merges.</remarks>
    public void EncodeCancellable(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        cancellationToken.ThrowIfCancellationRequested();
        if (text.IsEmpty)
        {
            return;
        }

        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        // Worst case every byte falls back to its own token, plus the dummy prefix.
        int[] tokens = ArrayPool<int>.Shared.Rent(utf8.Length + 1);
        try
        {
            int byteCount = Encoding.UTF8.GetBytes(text, utf8);
            int count = SplitCodePoints(utf8.AsSpan(0, byteCount), tokens, atStartOfText);
            count = MergePairs(tokens.AsSpan(0, count), cancellationToken);
            destination.AddRange(tokens.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tokens);
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <inheritdoc />
    public bool TryGetSpecialTokenId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        id = token switch
        {
            "<unk>" => UnknownTokenId,
            "<s>" => BosTokenId,
            "</s>" => EosTokenId,
            _ => -1,
        };
        return id >= 0;
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId)
    {
        CheckId(tokenId);
        if (tokenId <= EosTokenId)
        {
            return [];
        }

        if (_rawBytes[tokenId] is byte[] raw)
        {
            return raw;
        }

        // SentencePiece drops the dummy-prefix space of the first piece after BOS.
        byte[] piece = _pieces[tokenId];
        return previousTokenId == BosTokenId && piece.Length > 0 && piece[0] == (byte)' ' ? piece.AsSpan(1) : piece;
    }

    private static bool TryParseByteToken(ReadOnlySpan<byte> piece, out byte value)
    {
        value = 0;
        if (piece.Length != 6 || piece[0] != '<' || piece[1] != '0' || piece[2] != 'x' || piece[5] != '>')
        {
            return false;
        }

        int high = HexValue(piece[3]);
        int low = HexValue(piece[4]);
        if (high < 0 || low < 0)
        {
            return false;
        }

        value = (byte)((high << 4) | low);
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };

    private void CheckId(int tokenId)
    {
        if ((uint)tokenId >= (uint)_pieces.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenId), tokenId, $"Token id {tokenId} is outside the vocabulary of {_pieces.Length}.");
        }
    }

    // One token per UTF-8 code point (at most 4 bytes, as llama2.c groups them), or one byte token per byte of a
    // code point the vocabulary lacks.
    private int SplitCodePoints(ReadOnlySpan<byte> utf8, int[] tokens, bool atStartOfText)
    {
        int count = 0;
        if (atStartOfText && _spaceId >= 0)
        {
            tokens[count++] = _spaceId;
        }

        Span<char> codePoint = stackalloc char[4];
        int length = 0;
        for (int i = 0; i < utf8.Length; i++)
        {
            byte b = utf8[i];
            if ((b & 0xC0) != 0x80)
            {
                length = 0;
            }

            codePoint[length++] = (char)b;
            bool nextContinues = i + 1 < utf8.Length && (utf8[i + 1] & 0xC0) == 0x80;
            if (nextContinues && length < 4)
            {
                continue;
            }

            if (_lookup.TryGetValue(codePoint[..length], out int id))
            {
                tokens[count++] = id;
            }
            else
            {
                for (int j = 0; j < length; j++)
                {
                    tokens[count++] = codePoint[j] + ByteTokenOffset;
                }
            }

            length = 0;
        }

        return count;
    }

    // Repeatedly merges the adjacent pair whose concatenation is the best-scoring piece, the leftmost on ties: run.c's
    // order, found with a heap instead of a scan per merge. Symbols keep their first index as they merge, so the
    // leftmost current pair is the one with the smallest left index, and merged-away symbols are marked -1 in place.
    // A heap entry is stale once either symbol changed or they stopped being neighbours; pieces only grow as they
    // merge, so an entry's (left, right, token, token) never comes back, and comparing them finds stale entries.
    private int MergePairs(Span<int> tokens, CancellationToken cancellationToken)
    {
        int count = tokens.Length;
        if (count < 2)
        {
            return count;
        }

        int[] next = ArrayPool<int>.Shared.Rent(count);
        int[] previous = ArrayPool<int>.Shared.Rent(count);
        char[] buffer = ArrayPool<char>.Shared.Rent(2 * MaxTokenLength);
        var heap = new Llama2cMergeHeap(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                next[i] = i + 1 < count ? i + 1 : -1;
                previous[i] = i - 1;
            }

            for (int i = 0; i < count - 1; i++)
            {
                PushPair(ref heap, tokens, i, i + 1, buffer);
            }

            int merges = 0;
            while (heap.TryPop(out Llama2cMergeHeap.Candidate pair))
            {
                int left = pair.Left, right = pair.Right;
                if (tokens[left] != pair.LeftToken || next[left] != right || tokens[right] != pair.RightToken)
                {
                    continue;
                }

                if ((++merges & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                tokens[left] = pair.Merged;
                tokens[right] = -1;
                int after = next[right];
                next[left] = after;
                if (after >= 0)
                {
                    previous[after] = left;
                    PushPair(ref heap, tokens, left, after, buffer);
                }

                if (previous[left] >= 0)
                {
                    PushPair(ref heap, tokens, previous[left], left, buffer);
                }
            }

            int kept = 0;
            foreach (int token in tokens)
            {
                if (token >= 0)
                {
                    tokens[kept++] = token;
                }
            }

            return kept;
        }
        finally
        {
            heap.Dispose();
            ArrayPool<char>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(previous);
            ArrayPool<int>.Shared.Return(next);
        }
    }

    private void PushPair(ref Llama2cMergeHeap heap, Span<int> tokens, int left, int right, char[] buffer)
    {
        int merged = LookupPair(tokens[left], tokens[right], buffer);

        // llama2.c starts its best-merge search at -1e10, so a pair scoring at or below it never merges.
        if (merged >= 0 && _scores[merged] > NoMergeScore)
        {
            heap.Push(new Llama2cMergeHeap.Candidate(left, right, tokens[left], tokens[right], merged, _scores[merged]));
        }
    }

    private int LookupPair(int left, int right, char[] buffer)
    {
        byte[] a = _pieces[left];
        byte[] b = _pieces[right];
        int length = a.Length + b.Length;
        if (length > buffer.Length)
        {
            return -1;
        }

        for (int i = 0; i < a.Length; i++)
        {
            buffer[i] = (char)a[i];
        }

        for (int i = 0; i < b.Length; i++)
        {
            buffer[a.Length + i] = (char)b[i];
        }

        return _lookup.TryGetValue(buffer.AsSpan(0, length), out int id) ? id : -1;
    }
}
