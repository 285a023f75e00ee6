using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PadKernel.Preferences.Tests;

/// <summary>
/// One <c>pad serve</c> process (the real CLI, run with <c>dotnet pad.dll</c>) on a free 127.0.0.1 port, serving the
/// story model to the anonymous user, with its preferences in the PostgreSQL database or the SQLite file given.
/// </summary>
internal sealed partial class ServeReplica : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServeReplica(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(1) };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    /// <summary>The admin API key every replica also accepts (besides anonymous requests): it may act as any user.</summary>
    public const string AdminKey = "sk-replica-admin";

    /// <summary>Starts a replica whose preferences are in PostgreSQL, configured through the environment as a container would be.</summary>
    public static Task<ServeReplica> StartAsync(string connectionString, double maxStalenessSeconds) => StartAsync([], new Dictionary<string, string>
    {
        ["PadServer__Preferences__ConnectionString"] = connectionString,
        ["PadServer__Preferences__MaxStalenessSeconds"] = maxStalenessSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>Starts a server whose preferences are in the SQLite file at <paramref name="database"/>.</summary>
    public static Task<ServeReplica> StartSqliteAsync(string database) => StartAsync(["--preferences", database], new Dictionary<string, string>());

    private static async Task<ServeReplica> StartAsync(string[] extraArgs, Dictionary<string, string> environment)
    {
        string pad = Path.Combine(AppContext.BaseDirectory, "pad.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { pad, "serve", "--urls", "http://127.0.0.1:0", "--model", TestData.StoriesFolder, "--allow-anonymous" }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["PadServer__ApiKeys__0__Key"] = AdminKey;
        start.Environment["PadServer__ApiKeys__0__Admin"] = "true";
        Process process = Process.Start(start) ?? throw new InvalidOperationException("pad serve did not start.");
        var log = new StringBuilder();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Observe(e.Data);
        process.ErrorDataReceived += (_, e) => Observe(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Task exited = process.WaitForExitAsync();
        Task first = await Task.WhenAny(address.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (first != address.Task)
        {
            process.Kill(entireProcessTree: true);
            lock (log)
            {
                Assert.Fail($"pad serve did not report its address. Output: {log}");
            }
        }

        var replica = new ServeReplica(process, await address.Task);
        return replica;

        void Observe(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
            }

            if (ListeningOn().Match(line) is { Success: true } match)
            {
                address.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
    }

    /// <summary>Kills the process at once (SIGKILL on Unix), as <c>kill -9</c> does.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, CancellationToken cancellationToken = default, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using HttpResponseMessage response = await Http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Gets the anonymous user's stored preference texts through this replica.</summary>
    public async Task<string[]> PreferencesAsync()
    {
        (int status, JsonElement body) = await SendAsync(HttpMethod.Get, "/v1/users/anonymous/preferences");
        Assert.Equal(200, status);
        return [.. body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("text").GetString()!)];
    }

    /// <summary>A greedy completion of a fixed story opening through this replica.</summary>
    public async Task<string> CompleteAsync()
    {
        (int status, JsonElement body) = await SendAsync(HttpMethod.Post, "/v1/chat/completions",
            """{"model":"stories260K","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":32,"temperature":0}""");
        Assert.True(status == 200, $"completion failed: {status} {body}");
        return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+?)[ ,]")]
    private static partial Regex ListeningOn();
}
