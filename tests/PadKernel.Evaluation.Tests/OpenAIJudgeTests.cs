using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.AI;
using PadKernel.Evaluation.Judges;

namespace PadKernel.Evaluation.Tests;

/// <summary>The LLM judge through the real OpenAI SDK against a real OpenAI-compatible HTTP endpoint on 127.0.0.1.</summary>
public sealed class OpenAIJudgeTests
{
    [Fact]
    public async Task GradesThroughAnOpenAICompatibleEndpoint()
    {
        using var server = new FakeOpenAIServer("7");
        using IChatClient client = OpenAIJudgeClient.Create(server.Endpoint, "judge-model", apiKey: "secret");
        var judge = new ChatClientJudge(client);

        JudgeScore score = await judge.ScoreAsync(new JudgeInput("Once upon a time", "The story is about a frog.", "A frog jumped into the pond.", 8));

        Assert.Equal(6.0 / 9, score.Score, 12); // grade 7 on the default 1–10 scale
        Assert.Equal(7, score.Metrics["grade"]);
        string request = Assert.Single(server.Requests);
        Assert.Contains("\"model\":\"judge-model\"", request, StringComparison.Ordinal);
        Assert.Contains("The story is about a frog.", request, StringComparison.Ordinal);
        Assert.Contains("A frog jumped into the pond.", request, StringComparison.Ordinal);
        Assert.Equal("Bearer secret", server.Authorization);
    }

    [Fact]
    public async Task AnAnswerWithoutAGradeIsAJudgeResponseError()
    {
        using var server = new FakeOpenAIServer("I cannot grade this.");
        using IChatClient client = OpenAIJudgeClient.Create(server.Endpoint, "judge-model");

        await Assert.ThrowsAsync<JudgeResponseException>(async () =>
            await new ChatClientJudge(client).ScoreAsync(new JudgeInput("p", "pref", "text", 1)));
    }

    /// <summary>A minimal OpenAI chat-completions endpoint: answers every POST with one fixed assistant message.</summary>
    private sealed class FakeOpenAIServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly string _answer;
        private readonly Task _loop;

        public FakeOpenAIServer(string answer)
        {
            _answer = answer;
            int port = FreePort();
            Endpoint = new Uri($"http://127.0.0.1:{port}/v1");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public Uri Endpoint { get; }

        public List<string> Requests { get; } = [];

        public string? Authorization { get; private set; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    lock (Requests)
                    {
                        Requests.Add(reader.ReadToEnd());
                    }
                }

                Authorization = context.Request.Headers["Authorization"];
                string content = System.Text.Json.JsonSerializer.Serialize(_answer);
                string json = """{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"judge-model","choices":[{"index":0,"message":{"role":"assistant","content":CONTENT},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}""";
                byte[] body = Encoding.UTF8.GetBytes(json.Replace("CONTENT", content, StringComparison.Ordinal));
                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/v1/chat/completions" ? 200 : 404;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
