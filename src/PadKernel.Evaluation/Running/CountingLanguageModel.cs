using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Evaluation.Running;

/// <summary>Counts forward calls and positions.</summary>
internal sealed class ForwardCounter
{
    public long Calls { get; set; }

    public long Positions { get; set; }
}

/// <summary>
/// Wraps a model to count its forward calls (a prefill and a batched step are one call each) and the positions they
/// compute, so an evaluation measures PAD's cost instead of assuming it. It does not own the inner model.
/// </summary>
internal sealed class CountingLanguageModel : ILanguageModel
{
    private readonly ILanguageModel _inner;
    private readonly ForwardCounter _counter;
    private IModelSequence[] _unwrapped = new IModelSequence[4];

    public CountingLanguageModel(ILanguageModel inner, ForwardCounter counter)
    {
        _inner = inner;
        _counter = counter;
    }

    public ModelInfo Info => _inner.Info;

    public ITokenizer Tokenizer => _inner.Tokenizer;

    public PadKernel.Prompts.ChatTemplate? ChatTemplate => _inner.ChatTemplate;

    public IModelSequence CreateSequence() => new CountingSequence(this, _inner.CreateSequence(), _counter);

    public IModelSequence CreateSequence(LogitsAccess access) => new CountingSequence(this, _inner.CreateSequence(access), _counter);

    public void DecodeBatch(ReadOnlySpan<IModelSequence> sequences, ReadOnlySpan<int> tokens)
    {
        if (_unwrapped.Length < sequences.Length)
        {
            _unwrapped = new IModelSequence[sequences.Length];
        }

        for (int i = 0; i < sequences.Length; i++)
        {
            _unwrapped[i] = sequences[i] is CountingSequence counting && counting.Model == this
                ? counting.Inner
                : throw new ArgumentException("The sequence was not created by this model.", nameof(sequences));
        }

        _inner.DecodeBatch(_unwrapped.AsSpan(0, sequences.Length), tokens);
        _counter.Calls++;
        _counter.Positions += sequences.Length;
    }

    public void Dispose()
    {
        // The inner model belongs to the caller.
    }

    private sealed class CountingSequence : IModelSequence
    {
        private readonly ForwardCounter _counter;

        public CountingSequence(ILanguageModel model, IModelSequence inner, ForwardCounter counter)
        {
            Model = model;
            Inner = inner;
            _counter = counter;
        }

        public IModelSequence Inner { get; }

        public ILanguageModel Model { get; }

        public int Length => Inner.Length;

        public bool HasLogits => Inner.HasLogits;

        public ReadOnlySpan<float> Logits => Inner.Logits;

        public void GatherLogits(ReadOnlySpan<int> ids, Span<float> destination) => Inner.GatherLogits(ids, destination);

        public void Append(ReadOnlySpan<int> tokens)
        {
            Inner.Append(tokens);
            _counter.Calls++;
            _counter.Positions += tokens.Length;
        }

        public void Rewind(int length) => Inner.Rewind(length);

        public void Dispose() => Inner.Dispose();
    }
}
