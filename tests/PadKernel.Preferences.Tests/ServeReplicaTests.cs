using System.Diagnostics;
using PadKernel.Preferences.Postgres;
using Xunit.Abstractions;

namespace PadKernel.Preferences.Tests;

/// <summary>Two real <c>pad serve</c> processes on one PostgreSQL database, as two replicas behind a load balancer.</summary>
[RequiresPostgres]
public sealed class ServeReplicaTests(ITestOutputHelper output) : IDisposable
{
    private const double MaxStalenessSeconds = 2;
    private const string Dog = """{"preferences":[{"text":"The story is about a dog named Max.","weight":4}]}""";

    private readonly PostgresTestDatabase? _database = PostgresTestDatabase.Available ? new PostgresTestDatabase() : null;

    [StoreFact]
    public async Task A_preference_put_through_one_replica_steers_the_next_completion_through_the_other()
    {
        (ServeReplica started, ServeReplica other) = await StartTwoAsync();
        using ServeReplica a = started;
        using ServeReplica b = other;
        string plain = await b.CompleteAsync();
        Assert.Equal(plain, await a.CompleteAsync());

        // PUT through A; B sees it (by NOTIFY, within the staleness bound) and its completions follow it.
        Assert.Equal(200, (await a.SendAsync(HttpMethod.Put, "/v1/users/anonymous/preferences", Dog)).Status);
        TimeSpan arrived = await UntilAsync(b, texts => texts.Length == 1);
        output.WriteLine($"PUT through A seen by B after {arrived.TotalMilliseconds:F0} ms");
        string steered = await b.CompleteAsync();
        Assert.NotEqual(plain, steered);
        Assert.Equal(steered, await a.CompleteAsync());

        // DELETE through B; A forgets it.
        Assert.Equal(200, (await b.SendAsync(HttpMethod.Delete, "/v1/users/anonymous/preferences")).Status);
        arrived = await UntilAsync(a, texts => texts.Length == 0);
        output.WriteLine($"DELETE through B seen by A after {arrived.TotalMilliseconds:F0} ms");
        Assert.Equal(plain, await a.CompleteAsync());

        // Twenty more changes through A, each seen by B: how long a change takes to cross replicas (printed, not asserted).
        var delays = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            string text = $"Preference number {i}.";
            Assert.Equal(200, (await a.SendAsync(HttpMethod.Put, "/v1/users/anonymous/preferences", $$"""{"preferences":["{{text}}"]}""")).Status);
            delays.Add((await UntilAsync(b, texts => texts.SequenceEqual([text]))).TotalMilliseconds);
        }

        delays.Sort();
        output.WriteLine($"20 PUTs through A seen by B after: min {delays[0]:F0} ms, median {delays[10]:F0} ms, max {delays[^1]:F0} ms");
    }

    [StoreFact]
    public async Task Kill_9_of_a_replica_loses_nothing_and_leaves_no_half_written_list()
    {
        (ServeReplica started, ServeReplica other) = await StartTwoAsync();
        using ServeReplica a = started;
        using ServeReplica b = other;

        // Acknowledged, then killed at once: the other replica has it.
        Assert.Equal(200, (await a.SendAsync(HttpMethod.Put, "/v1/users/anonymous/preferences", Dog)).Status);
        a.Kill();
        await UntilAsync(b, texts => texts.SequenceEqual(["The story is about a dog named Max."]));

        // A replica killed while PUTs of two different lists stream through it: the list is one of them, whole.
        using ServeReplica c = await ServeReplica.StartAsync(_database!.ConnectionString, MaxStalenessSeconds);
        (string[] first, string[] second) = await PutTwoListsUntilKilledAsync(c);

        // Read past any cache, straight from the database, and through the surviving replica once its bound has passed.
        await using var direct = new PostgresPreferenceStore(new PostgresPreferenceStoreOptions { ConnectionString = _database.ConnectionString, MaxStaleness = TimeSpan.Zero });
        string[] stored = [.. (await direct.ListAsync("anonymous")).Select(p => p.Text)];
        Assert.True(stored.SequenceEqual(first) || stored.SequenceEqual(second), $"half-written list: {string.Join(" | ", stored)}");
        await UntilAsync(b, texts => texts.SequenceEqual(stored));
        Assert.False(string.IsNullOrEmpty(await b.CompleteAsync()));
    }

    public void Dispose() => _database?.Dispose();

    /// <summary>
    /// Streams PUTs that alternate two lists (four and two items) through <paramref name="server"/> and, after five
    /// have been answered, kills it (SIGKILL) while they go on; returns the two lists.
    /// </summary>
    internal static async Task<(string[] First, string[] Second)> PutTwoListsUntilKilledAsync(ServeReplica server)
    {
        string[] first = ["Keep it short.", "The story is sad.", "Use simple words.", "Talk about the sea."];
        string[] second = ["Talk about dogs.", "Make it funny."];
        using var stop = new CancellationTokenSource();
        int acknowledged = 0;
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string[] list = i % 2 == 0 ? first : second;
                string json = "{\"preferences\":[" + string.Join(",", list.Select(t => $"\"{t}\"")) + "]}";
                (int status, _) = await server.SendAsync(HttpMethod.Put, "/v1/users/anonymous/preferences", json, stop.Token);
                Assert.Equal(200, status);
                Interlocked.Increment(ref acknowledged);
            }
        });

        // Killed once several replacements have gone through, so that the kill lands in the middle of the stream.
        for (int i = 0; i < 600 && Volatile.Read(ref acknowledged) < 5 && !writer.IsCompleted; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(Volatile.Read(ref acknowledged) >= 5, "the PUTs did not get through before the kill");
        server.Kill();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => writer);
        return (first, second);
    }

    /// <summary>Starts two replicas together: both migrate the (empty) schema at the same moment.</summary>
    private async Task<(ServeReplica A, ServeReplica B)> StartTwoAsync()
    {
        Task<ServeReplica>[] starting = [.. Enumerable.Range(0, 2).Select(_ => ServeReplica.StartAsync(_database!.ConnectionString, MaxStalenessSeconds))];
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // Leave no process behind when only one of them came up.
            foreach (Task<ServeReplica> replica in starting.Where(t => t.IsCompletedSuccessfully))
            {
                replica.Result.Dispose();
            }

            throw;
        }

        return (starting[0].Result, starting[1].Result);
    }

    /// <summary>Polls a replica's list until <paramref name="done"/> holds; fails after MaxStaleness plus a generous margin.</summary>
    private static async Task<TimeSpan> UntilAsync(ServeReplica replica, Func<string[], bool> done)
    {
        var clock = Stopwatch.StartNew();
        string[] last = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(MaxStalenessSeconds + 20))
        {
            last = await replica.PreferencesAsync();
            if (done(last))
            {
                return clock.Elapsed;
            }

            await Task.Delay(2);
        }

        Assert.Fail($"The replica's list never reached the expected state; it is: {string.Join(" | ", last)}");
        return default;
    }
}
