// A bounded load run against a PadKernel server on 127.0.0.1: a fixed number of streaming chat completions at each
// concurrency level, then requests/s and latency percentiles. It starts its own server (a free loopback port), sends
// traffic only there, and stops by itself.
//
// With --replicas N it starts N servers (each its own Kestrel port, model copy and preference store) on one PostgreSQL
// database (--postgres, default $PADKERNEL_POSTGRES) and spreads requests over them round-robin, as a load balancer
// would.
//
// Usage: dotnet run -c Release --project samples/PadKernel.ServerBench -- [--model PATH] [--requests N] [--max-tokens N] [--levels 1,8,32]
//        [--replicas N] [--postgres CONNECTION-STRING]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PadKernel.Llama2c;
using PadKernel.Server.Hosting;

string model = Arg("--model") ?? Path.Combine(Environment.GetEnvironmentVariable("PADKERNEL_MODELS") ?? Path.Combine("..", "shared", "models"), "stories260K");
int requests = int.Parse(Arg("--requests") ?? "64", CultureInfo.InvariantCulture);
int maxTokens = int.Parse(Arg("--max-tokens") ?? "64", CultureInfo.InvariantCulture);
int[] levels = (Arg("--levels") ?? "1,8,32").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
const string Key = "sk-bench";

int replicas = int.Parse(Arg("--replicas") ?? "1", CultureInfo.InvariantCulture);
string? postgres = Arg("--postgres") ?? (replicas > 1 ? Environment.GetEnvironmentVariable("PADKERNEL_POSTGRES") : null);
if (replicas > 1 && string.IsNullOrEmpty(postgres))
{
    Console.Error.WriteLine("--replicas > 1 needs a shared PostgreSQL database: --postgres CONNECTION-STRING or $PADKERNEL_POSTGRES.");
    return 1;
}

string database = Path.Combine(Path.GetTempPath(), $"pad-serverbench-{Guid.NewGuid():N}.db");
var apps = new List<WebApplication>();
var clients = new List<HttpClient>();
for (int r = 0; r < replicas; r++)
{
    var host = new PadServerHostOptions { Urls = ["http://127.0.0.1:0"], ModelPath = model, PreferencesDatabase = postgres is null ? database : null };
    host.Loaders.Add(new Llama2cModelLoader());
    WebApplication app = PadServerApplication.Create(host, builder =>
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PadServer:ApiKeys:0:Key"] = Key,
            ["PadServer:ApiKeys:0:User"] = "bench",
            ["PadServer:Limits:MaxQueuedGenerations"] = "256",
            ["PadServer:Preferences:ConnectionString"] = postgres,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
    });
    await app.StartAsync();
    apps.Add(app);
    var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(5) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    clients.Add(client);
}

string modelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(model)));
string store = postgres is null ? "SQLite" : "PostgreSQL";

string[] prompts = ["Once upon a time", "The dog", "Lily went to the park", "Tom had a red ball"];
string?[] preferences = [null, "The story is about a dog named Max.", null, "The story is sad. Everyone cried."];

Console.WriteLine($"PadKernel server load run: {modelId}, {requests} streaming requests per level, max_tokens {maxTokens}, greedy, half with a PAD preference; " +
                  $"{replicas} server(s) on 127.0.0.1 ({store} preferences), requests round-robin, each with MaxConcurrentGenerations = {Environment.ProcessorCount} (processors); {Environment.ProcessorCount} cores.");
await RunLevelAsync(1, Math.Min(requests, 8), print: false); // warm-up: JIT, connection pool
Console.WriteLine();
Console.WriteLine("| clients | requests | requests/s | tokens/s | p50 latency (ms) | p95 latency (ms) | p50 first token (ms) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
foreach (int level in levels)
{
    await RunLevelAsync(level, requests, print: true);
}

foreach (WebApplication app in apps)
{
    await app.StopAsync();
    await app.DisposeAsync();
}

foreach (HttpClient client in clients)
{
    client.Dispose();
}

Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
foreach (string file in new[] { database, database + "-wal", database + "-shm" })
{
    File.Delete(file);
}

return 0;

async Task RunLevelAsync(int clients, int count, bool print)
{
    var latencies = new double[count];
    var firstTokens = new double[count];
    int next = -1;
    long tokens = 0;
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            (double latency, double first, int generated) = await OneAsync(i);
            latencies[i] = latency;
            firstTokens[i] = first;
            Interlocked.Add(ref tokens, generated);
        }
    }));
    wall.Stop();
    if (print)
    {
        Array.Sort(latencies);
        Array.Sort(firstTokens);
        double seconds = wall.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {clients} | {count} | {count / seconds:F1} | {tokens / seconds:F0} | {Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.95):F1} | {Percentile(firstTokens, 0.50):F1} |"));
    }
}

async Task<(double Latency, double FirstToken, int Tokens)> OneAsync(int i)
{
    string? preference = preferences[i % preferences.Length];
    string pad = preference is null ? "" : $",\"pad\":{{\"preferences\":[{JsonSerializer.Serialize(preference)}],\"weight\":2}}";
    string body = $"{{\"model\":\"{modelId}\",\"messages\":[{{\"role\":\"user\",\"content\":{JsonSerializer.Serialize(prompts[i % prompts.Length])}}}]," +
                  $"\"max_tokens\":{maxTokens},\"temperature\":0,\"stream\":true,\"stream_options\":{{\"include_usage\":true}}{pad}}}";
    var clock = Stopwatch.StartNew();
    double first = -1;
    int generated = 0;
    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    using HttpResponseMessage response = await clients[i % clients.Count].SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
    while (await reader.ReadLineAsync() is string line)
    {
        if (first < 0 && line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
        {
            first = clock.Elapsed.TotalMilliseconds;
        }

        if (line.StartsWith("data: {", StringComparison.Ordinal) && line.Contains("\"completion_tokens\"", StringComparison.Ordinal))
        {
            generated = JsonDocument.Parse(line[6..]).RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        }
    }

    return (clock.Elapsed.TotalMilliseconds, first, generated);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

string? Arg(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
