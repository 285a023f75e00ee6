using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PadKernel.Cli.Tests;

public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_AnswersChatCompletions_AndStopsWhenCancelled()
    {
        string database = Path.Combine(Path.GetTempPath(), $"pad-serve-{Guid.NewGuid():N}.db");
        var output = new SynchronizedWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task<int> run = PadCli.InvokeAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--model", TestData.StoriesFolder, "--allow-anonymous", "--preferences", database],
            output, error, stop.Token);

        string? url = null;
        for (int i = 0; i < 600 && url is null && !run.IsCompleted; i++)
        {
            url = ListeningOn().Match(output.ToString()) is { Success: true } m ? m.Groups[1].Value : null;
            await Task.Delay(50);
        }

        Assert.True(url is not null, $"pad serve did not report its address. Output: {output} Error: {error}");
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        string body = """{"model":"stories260K","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":12,"temperature":0}""";
        using HttpResponseMessage response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)response.StatusCode);
        JsonElement json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("stories260K", json.GetProperty("model").GetString());
        Assert.Equal(12, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(database);
    }

    [Fact]
    public async Task Serve_WithoutKeysOrAnonymous_FailsWithOneClearLine()
    {
        (int code, _, string error) = await CliRun.InvokeAsync("serve", "--urls", "http://127.0.0.1:0", "--model", TestData.StoriesFolder, "--preferences", Path.Combine(Path.GetTempPath(), $"pad-serve-{Guid.NewGuid():N}.db"));
        Assert.Equal(1, code);
        Assert.Contains("PadServer:ApiKeys", error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"listening on (http://\S+?)[ ,]")]
    private static partial Regex ListeningOn();

    /// <summary>A StringWriter the server's thread and the test's thread can share.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        public override void Write(char value)
        {
            lock (this)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (this)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (this)
            {
                return base.ToString();
            }
        }
    }
}
