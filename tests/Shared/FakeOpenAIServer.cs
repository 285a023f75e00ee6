using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PadKernel.Testing;

/// <summary>A minimal OpenAI chat-completions endpoint: answers every POST with one fixed assistant message.</summary>
internal sealed class FakeOpenAIServer : IDisposable
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
