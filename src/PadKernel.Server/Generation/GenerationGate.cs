using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PadKernel.Server.Configuration;
using PadKernel.Server.Errors;

namespace PadKernel.Server.Generation;

/// <summary>
/// Admits generations: at most <see cref="PadServerLimits.MaxConcurrentGenerations"/> run, at most
/// <see cref="PadServerLimits.MaxQueuedGenerations"/> wait (oldest first), and any more are refused with 429 at once.
/// On shutdown it refuses new work (503) and, after the drain time, cancels what still runs.
/// </summary>
internal sealed class GenerationGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly int _retryAfterSeconds;
    private readonly TimeSpan _drain;
    private readonly CancellationTokenRegistration _stoppingRegistration;
    private int _active;
    private long _completed;
    private long _cancelled;
    private long _rejected;
    private volatile bool _stopping;

    public GenerationGate(IOptions<PadServerOptions> options, IHostApplicationLifetime lifetime)
    {
        PadServerOptions value = options.Value;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = value.Limits.MaxConcurrentGenerations,
            QueueLimit = value.Limits.MaxQueuedGenerations,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _retryAfterSeconds = value.Limits.RetryAfterSeconds;
        _drain = TimeSpan.FromSeconds(value.ShutdownDrainSeconds);
        _stoppingRegistration = lifetime.ApplicationStopping.Register(BeginShutdown);
    }

    public int Active => Volatile.Read(ref _active);

    public long Queued => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    public long Completed => Interlocked.Read(ref _completed);

    public long Cancelled => Interlocked.Read(ref _cancelled);

    public long Rejected => Interlocked.Read(ref _rejected);

    public bool IsStopping => _stopping;

    /// <summary>Gets a token that is cancelled when a shutdown's drain time is over.</summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>Waits for a slot. Throws 429 when the queue is full and 503 when the server is stopping.</summary>
    public async Task<GenerationSlot> EnterAsync(CancellationToken requestAborted)
    {
        ThrowIfStopping();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _shutdown.Token);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            throw ShuttingDown();
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            Interlocked.Increment(ref _rejected);
            throw new ApiException(
                StatusCodes.Status429TooManyRequests,
                ErrorTypes.RateLimit,
                "The server is busy: every generation slot and queue place is taken. Retry after the time in the Retry-After header.",
                null,
                "rate_limit_exceeded")
            {
                RetryAfterSeconds = _retryAfterSeconds,
            };
        }

        Interlocked.Increment(ref _active);
        return new GenerationSlot(this, lease, requestAborted, _shutdown.Token);
    }

    public void Dispose()
    {
        _stoppingRegistration.Dispose();
        _limiter.Dispose();
        _shutdown.Dispose();
    }

    internal void Release(RateLimitLease lease, bool cancelled, bool refused)
    {
        if (cancelled)
        {
            Interlocked.Increment(ref _cancelled);
        }
        else if (!refused)
        {
            Interlocked.Increment(ref _completed);
        }

        Interlocked.Decrement(ref _active);
        lease.Dispose();
    }

    internal static ApiException ShuttingDown() =>
        new(StatusCodes.Status503ServiceUnavailable, ErrorTypes.Server, "The server is shutting down.", null, "server_shutting_down");

    private void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw ShuttingDown();
        }
    }

    private void BeginShutdown()
    {
        _stopping = true;
        _shutdown.CancelAfter(_drain);
    }
}
