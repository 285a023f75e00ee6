using System.Runtime.ExceptionServices;

namespace PadKernel.Llama2c;

/// <summary>
/// The second half of a batch, offered to a thread-pool thread while the caller runs the first half. Whoever claims it
/// first runs it: if the pool is slow to start (a busy machine), the caller takes it back, so a batch is never slower
/// than running it all on the caller's thread. One instance belongs to one sequence and is reused every step, so the
/// hot path allocates nothing; a stale queued run that finds the work already claimed simply returns.
/// </summary>
internal sealed class Llama2cBatchWork : IThreadPoolWorkItem
{
    private const int Pending = 0;
    private const int Claimed = 1;
    private const int Done = 2;

    private Llama2cSequence[] _sequences = new Llama2cSequence[2];
    private int[] _tokens = new int[2];
    private int _count;
    private Llama2cModel? _model;
    private ExceptionDispatchInfo? _error;
    private int _state = Done;

    /// <summary>Publishes a share of a batch and queues it to the thread pool.</summary>
    public void Offer(Llama2cModel model, ReadOnlySpan<Llama2cSequence> sequences, ReadOnlySpan<int> tokens)
    {
        if (_sequences.Length < sequences.Length)
        {
            _sequences = new Llama2cSequence[sequences.Length];
            _tokens = new int[sequences.Length];
        }

        sequences.CopyTo(_sequences);
        tokens.CopyTo(_tokens);
        _count = sequences.Length;
        _model = model;
        _error = null;

        // The fields above are published by this write: a claimer reads them only after winning the exchange.
        Volatile.Write(ref _state, Pending);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Runs the share on the calling thread unless a pool thread already took it, then waits for it to finish.</summary>
    public void RunOrWait()
    {
        TryRun();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _state) != Done)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        ExceptionDispatchInfo? error = _error;
        Array.Clear(_sequences, 0, _count);
        _model = null;
        error?.Throw();
    }

    void IThreadPoolWorkItem.Execute() => TryRun();

    private void TryRun()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Pending) != Pending)
        {
            return;
        }

        try
        {
            _model!.ForwardStep(_sequences.AsSpan(0, _count), _tokens.AsSpan(0, _count));
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            Volatile.Write(ref _state, Done);
        }
    }
}
