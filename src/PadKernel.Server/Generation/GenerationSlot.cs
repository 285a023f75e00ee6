using System.Threading.RateLimiting;

namespace PadKernel.Server.Generation;

/// <summary>
/// One admitted generation. <see cref="Token"/> is cancelled when the client goes away or a shutdown's drain time is
/// over; disposing the slot frees it for the next request.
/// </summary>
internal sealed class GenerationSlot : IDisposable
{
    private readonly GenerationGate _gate;
    private readonly RateLimitLease _lease;
    private readonly CancellationTokenSource _linked;
    private int _disposed;

    public GenerationSlot(GenerationGate gate, RateLimitLease lease, CancellationToken requestAborted, CancellationToken shutdown)
    {
        _gate = gate;
        _lease = lease;
        RequestAborted = requestAborted;
        _linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, shutdown);
    }

    /// <summary>Gets the token the generation runs under.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Gets the client's own token, to tell a disconnect from a shutdown.</summary>
    public CancellationToken RequestAborted { get; }

    /// <summary>Gets or sets a value indicating whether the generation was cancelled rather than run to its end.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Gets or sets a value indicating whether the request was refused inside the slot (its exact prompt count was over the limit), so nothing ran.</summary>
    public bool Refused { get; set; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _gate.Release(_lease, Cancelled, Refused);
            _linked.Dispose();
        }
    }
}
