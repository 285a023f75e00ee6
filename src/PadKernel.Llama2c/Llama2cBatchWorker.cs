using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace PadKernel.Llama2c;

/// <summary>
/// A model's helper thread for split batches: while a caller runs the first half of a batch, this thread runs the
/// other half. A thread-pool thread takes tens of microseconds to wake, as long as a whole step of a small model, so
/// the thread is dedicated and, after each share, spins for a moment before blocking: during a generation (a step every
/// few tens of microseconds) it stays awake and starts the next share within about a microsecond, and when decoding
/// stops it goes to sleep and costs nothing.
/// </summary>
/// <remarks>
/// One share at a time: a caller that finds the worker held by another batch (concurrent requests on one model) runs
/// its batch alone. Whoever claims an offered share first runs it, so when the worker is slow to start (a busy machine)
/// the caller takes the share back and folds it into its own pass; the caller never waits on a share nobody runs.
/// </remarks>
internal sealed class Llama2cBatchWorker
{
    private const int Idle = 0;
    private const int Pending = 1;
    private const int Claimed = 2;
    private const int Done = 3;

    // At most 2^5 - 1 = 31 batches (about a millisecond) pass between probes of a worker that keeps missing.
    private const int MaxBackoffExponent = 5;

    // A woken thread may take a few steps to get a core; only after this many missed wake-ups in a row does it count.
    private const int MaxWakeMisses = 3;

    // How long the thread stays awake after a share: about the longest back-off, so a probe usually finds it awake.
    private static readonly long HotTicks = Stopwatch.Frequency / 1_000;

    private readonly Llama2cModel _model;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private Llama2cSequence[] _sequences = new Llama2cSequence[2];
    private int[] _tokens = new int[2];
    private int _count;
    private ExceptionDispatchInfo? _error;
    private int _held;
    private int _misses;
    private int _skip;
    private bool _wasAsleep;
    private int _wakeMisses;
    private int _state = Idle;
    private int _sleeping;
    private volatile bool _stopping;

    public Llama2cBatchWorker(Llama2cModel model)
    {
        _model = model;
        _thread = new Thread(Loop) { IsBackground = true, Name = "Llama2c batch worker" };
        _thread.Start();
    }

    /// <summary>
    /// Reserves the worker for one batch; <see langword="false"/> when another batch holds it, it has stopped, or it is
    /// backing off after missed shares.
    /// </summary>
    public bool TryAcquire()
    {
        if (_stopping || Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            return false;
        }

        if (_skip > 0)
        {
            _skip--;
            Volatile.Write(ref _held, 0);
            return false;
        }

        return true;
    }

    /// <summary>Publishes a share of the batch and wakes the thread if it sleeps.</summary>
    public void Offer(ReadOnlySpan<Llama2cSequence> sequences, ReadOnlySpan<int> tokens)
    {
        if (_sequences.Length < sequences.Length)
        {
            _sequences = new Llama2cSequence[sequences.Length];
            _tokens = new int[sequences.Length];
        }

        sequences.CopyTo(_sequences);
        tokens.CopyTo(_tokens);
        _count = sequences.Length;
        _error = null;

        // The exchange publishes the fields above and orders this write before the read of _sleeping, which the
        // thread sets (also with a full fence) before its last look at _state: one of the two sees the other.
        Interlocked.Exchange(ref _state, Pending);
        _wasAsleep = Volatile.Read(ref _sleeping) != 0;
        if (_wasAsleep)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Takes the offered share for the calling thread if the worker has not started it.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Pending) == Pending;

    /// <summary>
    /// Ends the batch: unless the caller already claimed the share, runs it here if the worker has not started it, or
    /// waits for the worker to finish it; then frees the worker and rethrows the share's exception, if any.
    /// </summary>
    public void Complete(bool claimedByCaller)
    {
        if (!claimedByCaller)
        {
            claimedByCaller = Run();
            WaitUntilDone();
        }

        // A missed share means the thread is not getting a core in time (a busy machine): offering it the next shares
        // would only cost wake-ups and spinning that compete with the caller, so back off exponentially, probing again
        // now and then. A thread that missed because it had to wake up is awake for the next share, so a few such
        // misses in a row are retried at once.
        if (!claimedByCaller)
        {
            _misses = 0;
            _wakeMisses = 0;
        }
        else if (_wasAsleep && ++_wakeMisses <= MaxWakeMisses)
        {
            _skip = 0;
        }
        else
        {
            _misses = Math.Min(_misses + 1, MaxBackoffExponent);
            _skip = (1 << _misses) - 1;
            _wakeMisses = 0;
        }

        ExceptionDispatchInfo? error = _error;
        Array.Clear(_sequences, 0, _count);
        _error = null;
        Volatile.Write(ref _state, Idle);
        Volatile.Write(ref _held, 0);
        error?.Throw();
    }

    /// <summary>Stops the thread; a batch still in flight is finished by its caller.</summary>
    public void Stop()
    {
        _stopping = true;
        lock (_gate)
        {
            Monitor.Pulse(_gate);
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void WaitUntilDone()
    {
        // The worker is running the share on another core and finishes within microseconds: spin without yielding
        // (a yield is a system call as long as the wait), and yield only if it takes long, as when the worker lost its core.
        long start = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _state) != Done)
        {
            if (Stopwatch.GetTimestamp() - start < HotTicks)
            {
                Thread.SpinWait(4);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private void Loop()
    {
        while (WaitForOffer())
        {
            _ = Run();
        }
    }

    private bool WaitForOffer()
    {
        long start = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (Stopwatch.GetTimestamp() - start < HotTicks)
        {
            if (_stopping)
            {
                return false;
            }

            if (Volatile.Read(ref _state) == Pending)
            {
                return true;
            }

            // Past the first few iterations this yields, so a thread sharing the caller's core lets the caller run.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        lock (_gate)
        {
            Interlocked.Exchange(ref _sleeping, 1);
            // Once woken, spin again even if the caller has meanwhile taken this share back: the next one is near.
            if (Volatile.Read(ref _state) != Pending && !_stopping)
            {
                Monitor.Wait(_gate);
            }

            Volatile.Write(ref _sleeping, 0);
        }

        return !_stopping;
    }

    private bool Run()
    {
        if (!TryClaim())
        {
            return false;
        }

        try
        {
            _model.ForwardStep(_sequences.AsSpan(0, _count), _tokens.AsSpan(0, _count));
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            Volatile.Write(ref _state, Done);
        }

        return true;
    }
}
