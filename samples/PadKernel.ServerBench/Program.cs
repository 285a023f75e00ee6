// A bounded load run against a PadKernel server on 127.0.0.1: a fixed number of streaming chat completions at each
// concurrency level, then requests/s and latency percentiles. It starts its own server (a free loopback port), sends
// traffic only there, and stops by itself.
//
// Usage: dotnet run -c Release --project samples/PadKernel.ServerBench -- [--model PATH] [--requests N] [--max-tokens N] [--levels 1,8,32]
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

string database = Path.Combine(Path.GetTempPath(), $"pad-serverbench-{Guid.NewGuid():N}.db");
var host = new PadServerHostOptions { Urls = ["http://127.0.0.1:0"], ModelPath = model, PreferencesDatabase = database };
host.Loaders.Add(new Llama2cModelLoader());
await using WebApplication app = PadServerApplication.Create(host, builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["PadServer:ApiKeys:0:Key"] = Key,
        ["PadServer:ApiKeys:0:User"] = "bench",
        ["PadServer:Limits:MaxQueuedGenerations"] = "256",
    });
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
});
await app.StartAsync();
var baseUri = new Uri(app.Urls.First());
string modelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(model)));
using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

string[] prompts = ["Once upon a time", "The dog", "Lily went to the park", "Tom had a red ball"];
string?[] preferences = [null, "The story is about a dog named Max.", null, "The story is sad. Everyone cried."];

Console.WriteLine($"PadKernel server load run: {modelId}, {requests} streaming requests per level, max_tokens {maxTokens}, greedy, half with a PAD preference; " +
                  $"server on {baseUri} with MaxConcurrentGenerations = {Environment.ProcessorCount} (processors); {Environment.ProcessorCount} cores.");
await RunLevelAsync(1, Math.Min(requests, 8), print: false); // warm-up: JIT, connection pool
Console.WriteLine();
Console.WriteLine("| clients | requests | requests/s | tokens/s | p50 latency (ms) | p95 latency (ms) | p50 first token (ms) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
foreach (int level in levels)
{
    await RunLevelAsync(level, requests, print: true);
}

await app.StopAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
foreach (string file in new[] { database, database + "-wal", database + "-shm" })
{
    File.Delete(file);
}

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
    using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
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
