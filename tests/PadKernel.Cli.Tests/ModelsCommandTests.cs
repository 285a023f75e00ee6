using System.Net;
using System.Net.Sockets;

namespace PadKernel.Cli.Tests;

/// <summary>Pulls the story model from a real HTTP server on 127.0.0.1 serving the shared copy (there is no internet here).</summary>
[Collection(nameof(EnvironmentCollection))]
public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("pad-cache-").FullName;
    private readonly string _served = Directory.CreateTempSubdirectory("pad-served-").FullName;

    [Fact]
    public async Task PullDownloadsVerifiesAndThenResolvesTheModelByName()
    {
        foreach (string file in new[] { "stories260K.bin", "tok512.bin" })
        {
            File.Copy(Path.Combine(TestData.StoriesFolder, file), Path.Combine(_served, file));
        }

        using var server = new FileServer(_served);
        (int code, string output, string error) = await WithCache(() => CliRun.InvokeAsync("models", "pull", "stories260K", "--source", server.Url));

        Assert.True(code == 0, error);
        Assert.Contains("verified", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.StoriesFolder, "stories260K.bin")), File.ReadAllBytes(Path.Combine(_cache, "stories260K", "stories260K.bin")));

        (int generateCode, string text, _) = await WithCache(() => CliRun.InvokeAsync("generate", "-m", "stories260K", "-p", "Once upon a time", "-n", "8"));
        Assert.Equal(0, generateCode);
        Assert.StartsWith("Once upon a time, there was a little girl", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACorruptDownloadIsRejectedAndLeavesNothingBehind()
    {
        File.WriteAllBytes(Path.Combine(_served, "stories260K.bin"), new byte[1000]);
        File.Copy(Path.Combine(TestData.StoriesFolder, "tok512.bin"), Path.Combine(_served, "tok512.bin"));

        using var server = new FileServer(_served);
        (int code, string _, string error) = await WithCache(() => CliRun.InvokeAsync("models", "pull", "stories260K", "--source", server.Url));

        Assert.Equal(1, code);
        Assert.Contains("sha256", error, StringComparison.Ordinal);
        Assert.Contains("discarded", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_cache, "stories260K")));
    }

    [Fact]
    public async Task UnknownModelNamesTheKnownOnes()
    {
        (int code, string _, string error) = await CliRun.InvokeAsync("models", "pull", "gpt-17");

        Assert.Equal(1, code);
        Assert.Contains("known models: stories260K", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_cache, recursive: true);
        Directory.Delete(_served, recursive: true);
    }

    private async Task<T> WithCache<T>(Func<Task<T>> action)
    {
        string? models = Environment.GetEnvironmentVariable("PADKERNEL_MODELS");
        string? cache = Environment.GetEnvironmentVariable("PADKERNEL_CACHE");
        Environment.SetEnvironmentVariable("PADKERNEL_MODELS", null);
        Environment.SetEnvironmentVariable("PADKERNEL_CACHE", _cache);
        try
        {
            return await action();
        }
        finally
        {
            Environment.SetEnvironmentVariable("PADKERNEL_MODELS", models);
            Environment.SetEnvironmentVariable("PADKERNEL_CACHE", cache);
        }
    }

    /// <summary>A static file server on a free loopback port.</summary>
    private sealed class FileServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public FileServer(string folder)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/models/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    string path = Path.Combine(folder, Path.GetFileName(context.Request.Url!.AbsolutePath));
                    if (File.Exists(path))
                    {
                        byte[] body = await File.ReadAllBytesAsync(path);
                        context.Response.ContentLength64 = body.Length;
                        await context.Response.OutputStream.WriteAsync(body);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }

                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;
