using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Tests.TestDoubles;

/// <summary>
/// A deterministic stand-in for a runtime: the logits are a fixed pseudo-random function of the whole context, so
/// two contexts that differ give different logits. It isolates the decoder from any real runtime and counts calls.
/// </summary>
internal sealed class ScriptedModel(int seed, int vocabularySize = 259, int contextLength = 128, ITokenizer? tokenizer = null) : ILanguageModel
{
    public ModelInfo Info { get; } = new()
    {
        ModelId = $"scripted-{seed}",
        VocabularySize = vocabularySize,
        ContextLength = contextLength,
        BosTokenId = 1,
        EosTokenIds = [2],
    };

    public ITokenizer Tokenizer { get; } = tokenizer ?? new ByteTokenizer();

    public int Seed => seed;

    public int BatchCalls { get; private set; }

    public int MaxBatchSize { get; private set; }

    public int EndOfSequenceAfter { get; init; } = int.MaxValue;

    /// <summary>Gets the context length from which every logit is replaced by <see cref="PoisonValue"/>.</summary>
    public int PoisonAfter { get; init; } = int.MaxValue;

    public float PoisonValue { get; init; } = float.NaN;

    /// <summary>Gets the number of sequences created with <see cref="LogitsAccess.Gathered"/>.</summary>
    public int GatheredSequences { get; private set; }

    /// <summary>Gets the number of logits read through <see cref="IModelSequence.GatherLogits"/>.</summary>
    public int GatheredLogits { get; private set; }

    public IModelSequence CreateSequence() => new Sequence(this, gathered: false);

    /// <summary>A <see cref="LogitsAccess.Gathered"/> sequence refuses <see cref="IModelSequence.Logits"/>, as a sparse runtime may.</summary>
    public IModelSequence CreateSequence(LogitsAccess access)
    {
        GatheredSequences += access == LogitsAccess.Gathered ? 1 : 0;
        return new Sequence(this, access == LogitsAccess.Gathered);
    }

    public void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens)
    {
        BatchCalls++;
        MaxBatchSize = Math.Max(MaxBatchSize, sequences.Length);
        for (int i = 0; i < sequences.Length; i++)
        {
            sequences[i].Append([tokens[i]]);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Sequence(ScriptedModel model, bool gathered) : IModelSequence
    {
        private readonly List<int> _tokens = new(model.Info.ContextLength);
        private readonly float[] _logits = new float[model.Info.VocabularySize];

        public ILanguageModel Model => model;

        public int Length => _tokens.Count;

        public bool HasLogits { get; private set; }

        public ReadOnlySpan<float> Logits => gathered
            ? throw new InvalidOperationException("This sequence was created for gathered reads only.")
            : HasLogits ? _logits : throw new InvalidOperationException("No logits yet.");

        public void GatherLogits(ReadOnlySpan<int> ids, Span<float> destination)
        {
            if (!HasLogits)
            {
                throw new InvalidOperationException("No logits yet.");
            }

            model.GatheredLogits += ids.Length;
            for (int i = 0; i < ids.Length; i++)
            {
                destination[i] = _logits[ids[i]];
            }
        }

        public bool Disposed { get; private set; }

        public void Append(ReadOnlySpan<int> tokens)
        {
            if (_tokens.Count + tokens.Length > model.Info.ContextLength)
            {
                throw new ContextLengthExceededException(_tokens.Count + tokens.Length, model.Info.ContextLength);
            }

            _tokens.AddRange(tokens);

            // FNV-1a, not HashCode (randomized per process), then xorshift: the same context gives the same logits in
            // every run, and a step allocates nothing (decoder allocation tests run on this model).
            uint state = (2166136261 ^ (uint)model.Seed) * 16777619;
            foreach (int token in _tokens)
            {
                state = (state ^ (uint)token) * 16777619;
            }

            state |= 1;
            for (int i = 0; i < _logits.Length; i++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                _logits[i] = (state / (float)uint.MaxValue * 8) - 4;
            }

            _logits[0] = _logits[1] = _logits[2] = -10f;
            if (_tokens.Count >= model.EndOfSequenceAfter)
            {
                _logits[2] = 100f;
            }

            if (_tokens.Count >= model.PoisonAfter)
            {
                // One bad logit among normal ones, except -Infinity, which is legitimate alone and fatal everywhere.
                if (float.IsNegativeInfinity(model.PoisonValue))
                {
                    Array.Fill(_logits, model.PoisonValue);
                }
                else
                {
                    _logits[7] = model.PoisonValue;
                }
            }

            HasLogits = true;
        }

        public void Rewind(int length)
        {
            _tokens.RemoveRange(length, _tokens.Count - length);
            HasLogits = false;
        }

        public void Dispose() => Disposed = true;
    }
}
