using Npgsql;

namespace PadKernel.Preferences.Postgres;

/// <summary>
/// Keeps one connection that <c>LISTEN</c>s for the store's change notifications and evicts the changed user's cached
/// list. When the connection breaks it reconnects (after a pause) and evicts everything, since notifications sent
/// meanwhile are lost; the cache's age limit bounds staleness while it is down.
/// </summary>
internal sealed class PreferenceChangeListener : IAsyncDisposable
{
    private readonly string _channel;

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly PreferenceCache _cache;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    public PreferenceChangeListener(NpgsqlDataSource dataSource, PreferenceCache cache, string channel)
    {
        _channel = channel;
        _dataSource = dataSource;
        _cache = cache;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>
    /// The notification channel of the preference table in <paramref name="schema"/>; the payload is the user id, or
    /// empty for "every user". Channels are database-wide, so the schema is part of the name: stores on other schemas
    /// of the same database (other deployments, parallel tests) never evict each other's caches.
    /// </summary>
    public static string ChannelFor(string schema) =>
        "padkernel_preferences_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(schema)))[..16];

    /// <summary>Gets a task that completes once the first <c>LISTEN</c> is in place.</summary>
    public Task Listening => _listening.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => _cache.Evict(e.Payload.Length == 0 ? null : e.Payload);
                await using (NpgsqlCommand listen = new($"LISTEN {_channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Anything cached before this LISTEN may have missed a notification.
                _cache.Evict(null);
                _listening.TrySetResult();
                while (true)
                {
                    if (!await connection.WaitAsync(Heartbeat, cancellationToken).ConfigureAwait(false))
                    {
                        // Quiet for a while: a round trip proves the connection (and so the LISTEN) is still alive.
                        await using NpgsqlCommand ping = new("SELECT 1;", connection);
                        await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Lost or refused, however it failed: notifications may be missed from here on, so nothing cached can be
                // trusted; the loop must outlive any error, since nothing else would restart it.
                _cache.Evict(null);
                await Task.Delay(RetryPause, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
