using System.Runtime.ExceptionServices;

namespace PadKernel.Llama2c;

/// <summary>
/// The second half of a batch, offered to a thread-pool thread while the caller runs the first half. Whoever claims it
/// first runs it: when the pool thread is slow to start (a busy machine), the caller takes the share back and folds it
/// into its own batched pass, so a split batch costs little more than an unsplit one even when no second core is free.
/// One instance belongs to one sequence and is reused every step, so the hot path allocates nothing; a stale queued run
/// that finds the work already claimed simply returns.
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

    /// <summary>Takes the share for the calling thread if no pool thread has started it; the caller must then <see cref="Release"/> it.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Pending) == Pending;

    /// <summary>Marks a share the caller claimed and ran as finished.</summary>
    public void Release()
    {
        Forget();
        Volatile.Write(ref _state, Done);
    }

    /// <summary>Runs the share on the calling thread unless a pool thread already took it, then waits for it to finish.</summary>
    public void RunOrWait()
    {
        Run();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _state) != Done)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        ExceptionDispatchInfo? error = _error;
        Forget();
        error?.Throw();
    }

    void IThreadPoolWorkItem.Execute() => Run();

    private void Run()
    {
        if (!TryClaim())
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

    private void Forget()
    {
        Array.Clear(_sequences, 0, _count);
        _model = null;
    }
}
