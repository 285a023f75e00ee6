using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Server.Tests;

/// <summary>Wraps a real model and counts its live sequences, so a test can see that a cancelled generation freed them.</summary>
internal sealed class CountingModel(ILanguageModel inner) : ILanguageModel
{
    private int _live;

    public int LiveSequences => Volatile.Read(ref _live);

    public ModelInfo Info => inner.Info;

    public ITokenizer Tokenizer => inner.Tokenizer;

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
}
