using PadKernel.Models;

namespace PadKernel.Llama2c;

/// <summary>
/// One sequence of a <see cref="Llama2cModel"/>: its KV cache and every scratch buffer of the forward pass, so
/// sequences of the same model can be advanced on different threads at once. Not thread-safe itself.
/// </summary>
internal sealed class Llama2cSequence : IModelSequence
{
    private readonly Llama2cModel _model;
    private bool _hasLogits;
    private bool _disposed;

    public Llama2cSequence(Llama2cModel model, Llama2cLayout layout)
    {
        _model = model;
        Scratch = new float[layout.ScratchLength];
        Keys = new float[layout.KeyCacheLength];
        Values = new float[layout.ValueCacheLength];
    }

    /// <summary>Gets the activations and per-step buffers, laid out by <see cref="Llama2cLayout"/>.</summary>
    internal float[] Scratch { get; }

    /// <summary>Gets the key cache, <c>[layer][kv head][head dim][position]</c>: positions contiguous so scores vectorize across them.</summary>
    internal float[] Keys { get; }

    /// <summary>Gets the value cache, laid out like <see cref="Keys"/> so the weighted sum also runs along positions.</summary>
    internal float[] Values { get; }

    /// <summary>Gets or sets the number of cached positions.</summary>
    internal int Position { get; set; }

    public ILanguageModel Model => _model;

    public int Length
    {
        get
        {
            ThrowIfDisposed();
            return Position;
        }
    }

    public bool HasLogits => !_disposed && _hasLogits;

    public ReadOnlySpan<float> Logits
    {
        get
        {
            ThrowIfDisposed();
            if (!_hasLogits)
            {
                throw new InvalidOperationException("The sequence has no logits: append a token first (a new or rewound sequence has none).");
            }

            return _model.Layout.Logits(Scratch);
        }
    }

    public void Append(ReadOnlySpan<int> tokens)
    {
        ThrowIfDisposed();
        if (tokens.IsEmpty)
        {
            return;
        }

        _model.CheckTokens(tokens, Position);
        _hasLogits = false;
        _model.Prefill(this, tokens);
        _hasLogits = true;
    }

    public void Rewind(int length)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Position);

        // The cache rows past the new length are simply overwritten by the next appends.
        Position = length;
        _hasLogits = false;
    }

    public void Dispose() => _disposed = true;

    /// <summary>Marks the logits valid after a batched step; the model has already advanced the position.</summary>
    internal void SetHasLogits() => _hasLogits = true;

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
