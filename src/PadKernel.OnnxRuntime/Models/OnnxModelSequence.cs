using PadKernel.Models;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// One sequence of an <see cref="OnnxModel"/>: a row of an ONNX Runtime GenAI generator, which owns the KV cache.
/// A sequence started on its own (<see cref="Append"/>) has a generator to itself; sequences prefilled together
/// (<see cref="ILanguageModel.Prefill"/>) are rows of one batched generator and advance together through
/// <see cref="OnnxModel.DecodeBatch"/>.
/// </summary>
public sealed class OnnxModelSequence : IModelSequence
{
    private readonly OnnxModel _model;
    private GeneratorGroup? _group;
    private int _row;
    private bool _disposed;

    internal OnnxModelSequence(OnnxModel model) => _model = model;

    /// <inheritdoc/>
    public ILanguageModel Model => _model;

    /// <inheritdoc/>
    public int Length => _group?.Length(_row) ?? 0;

    /// <inheritdoc/>
    public bool HasLogits => _group?.HasLogits ?? false;

    /// <inheritdoc/>
    public ReadOnlySpan<float> Logits
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _group is { HasLogits: true } group
                ? group.Logits(_row)
                : throw new InvalidOperationException("No logits yet: append at least one token first.");
        }
    }

    internal GeneratorGroup? Group => _group;

    internal int Row => _row;

    /// <inheritdoc/>
    public void Append(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tokens.IsEmpty)
        {
            return;
        }

        if (_group is null)
        {
            Bind(GeneratorGroup.Start(_model, [tokens.ToArray()]), 0);
        }
        else if (_group.Rows == 1)
        {
            _group.Append(tokens);
        }
        else
        {
            throw new InvalidOperationException("This sequence is a row of a batched generator; its rows advance together through DecodeBatch.");
        }
    }

    /// <inheritdoc/>
    public void Rewind(int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        if (_group is null)
        {
            return;
        }

        if (_group.Rows != 1)
        {
            throw new InvalidOperationException("A row of a batched generator cannot be rewound on its own.");
        }

        if (length == 0)
        {
            // GenAI cannot hold an empty generator with logits pending; the next append starts a fresh one.
            _group.Release();
            _group = null;
            return;
        }

        _group.Rewind(length);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _group?.Release();
            _group = null;
        }
    }

    internal void Bind(GeneratorGroup group, int row)
    {
        _group = group;
        _row = row;
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
