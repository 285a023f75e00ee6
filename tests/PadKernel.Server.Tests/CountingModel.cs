using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Server.Tests;

/// <summary>
/// Wraps a real model and counts its live sequences, so a test can see that a cancelled generation freed them, and
/// records the longest text its tokenizer was given, so a test can see that an over-long prompt was never tokenized.
/// </summary>
internal sealed class CountingModel(ILanguageModel inner) : ILanguageModel
{
    private readonly RecordingTokenizer _tokenizer = new(inner.Tokenizer);
    private int _live;

    public int LiveSequences => Volatile.Read(ref _live);

    /// <summary>Gets the length, in characters, of the longest text encoded so far.</summary>
    public int LongestEncodedText => _tokenizer.Longest;

    public ModelInfo Info => inner.Info;

    public ITokenizer Tokenizer => _tokenizer;

    public IModelSequence CreateSequence()
    {
        IModelSequence sequence = inner.CreateSequence();
        Interlocked.Increment(ref _live);
        return new Sequence(this, sequence);
    }

    public void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens)
    {
        var unwrapped = new IModelSequence[sequences.Length];
        for (int i = 0; i < sequences.Length; i++)
        {
            unwrapped[i] = ((Sequence)sequences[i]).Inner;
        }

        inner.DecodeBatch(unwrapped, tokens);
    }

    public void Dispose() => inner.Dispose();

    private sealed class Sequence(CountingModel owner, IModelSequence inner) : IModelSequence
    {
        private int _disposed;

        public IModelSequence Inner => inner;

        public ILanguageModel Model => owner;

        public int Length => inner.Length;

        public bool HasLogits => inner.HasLogits;

        public ReadOnlySpan<float> Logits => inner.Logits;

        public void Append(ReadOnlySpan<int> tokens) => inner.Append(tokens);

        public void Rewind(int length) => inner.Rewind(length);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
                inner.Dispose();
            }
        }
    }

    private sealed class RecordingTokenizer(ITokenizer inner) : ITokenizer
    {
        private int _longest;

        public int Longest => Volatile.Read(ref _longest);

        public int VocabularySize => inner.VocabularySize;

        public void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true)
        {
            int seen;
            while (text.Length > (seen = Volatile.Read(ref _longest)) && Interlocked.CompareExchange(ref _longest, text.Length, seen) != seen)
            {
            }

            inner.Encode(text, destination, atStartOfText);
        }

        public bool TryGetSpecialTokenId(string token, out int id) => inner.TryGetSpecialTokenId(token, out id);

        public ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId) => inner.GetTokenBytes(tokenId, previousTokenId);
    }
}
