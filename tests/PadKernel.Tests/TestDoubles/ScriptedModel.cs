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

    public IModelSequence CreateSequence() => new Sequence(this);

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

    private sealed class Sequence(ScriptedModel model) : IModelSequence
    {
        private readonly List<int> _tokens = [];
        private readonly float[] _logits = new float[model.Info.VocabularySize];

        public ILanguageModel Model => model;

        public int Length => _tokens.Count;

        public bool HasLogits { get; private set; }

        public ReadOnlySpan<float> Logits => HasLogits ? _logits : throw new InvalidOperationException("No logits yet.");

        public bool Disposed { get; private set; }

        public void Append(ReadOnlySpan<int> tokens)
        {
            if (_tokens.Count + tokens.Length > model.Info.ContextLength)
            {
                throw new ContextLengthExceededException(_tokens.Count + tokens.Length, model.Info.ContextLength);
            }

            _tokens.AddRange(tokens);
            var hash = new HashCode();
            hash.Add(model.Seed);
            foreach (int t in _tokens)
            {
                hash.Add(t);
            }

            var random = new Random(hash.ToHashCode() & 0x7fffffff);
            for (int i = 0; i < _logits.Length; i++)
            {
                _logits[i] = (float)(random.NextDouble() * 8 - 4);
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
