using System.ClientModel;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using PadKernel.Server.Hosting;

namespace PadKernel.Server.Tests;

/// <summary>A real PadKernel server on 127.0.0.1 (a free port) serving the story model, with three API keys.</summary>
internal sealed class ServerHost : IAsyncDisposable
{
    public const string AliceKey = "sk-test-alice";
    public const string BobKey = "sk-test-bob";
    public const string AdminKey = "sk-test-admin";

    private readonly WebApplication _app;
    private readonly string _database;

    private ServerHost(WebApplication app, CountingModel model, string database)
    {
        _app = app;
        Model = model;
        _database = database;
        BaseUri = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public CountingModel Model { get; }

    public string ModelId => Model.Info.ModelId;

    public WebApplication App => _app;

    /// <summary>Starts a server; <paramref name="settings"/> adjusts the configuration, <paramref name="throttle"/> slows every stream.</summary>
    public static async Task<ServerHost> StartAsync(Action<Dictionary<string, string?>>? settings = null, TimeSpan? throttle = null, Action<IServiceCollection>? services = null)
    {
        string database = Path.Combine(Path.GetTempPath(), $"padkernel-server-{Guid.NewGuid():N}.db");
        var model = new CountingModel(new Llama2cModelLoader().Load(TestData.StoriesFolder));
        var config = new Dictionary<string, string?>
        {
            ["PadServer:ApiKeys:0:Key"] = AliceKey,
            ["PadServer:ApiKeys:0:User"] = "alice",
            ["PadServer:ApiKeys:1:Key"] = BobKey,
            ["PadServer:ApiKeys:1:User"] = "bob",
            ["PadServer:ApiKeys:2:Key"] = AdminKey,
            ["PadServer:ApiKeys:2:Admin"] = "true",
            ["PadServer:Limits:MaxRequestBodyBytes"] = "16384",
            ["PadServer:Limits:MaxPromptTokens"] = "128",
            ["PadServer:Limits:MaxTokens"] = "400",
            ["PadServer:Limits:DefaultMaxTokens"] = "64",
            ["PadServer:Limits:MaxPreferences"] = "4",
            ["PadServer:Limits:MaxPreferenceLength"] = "80",
            ["PadServer:Limits:MaxConcurrentGenerations"] = "4",
            ["PadServer:Limits:MaxQueuedGenerations"] = "64",
            ["PadServer:ShutdownDrainSeconds"] = "2",
        };
        settings?.Invoke(config);

        WebApplication app = PadServerApplication.Create(
            new PadServerHostOptions { Urls = ["http://127.0.0.1:0"], PreferencesDatabase = database },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(config);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.Configure<PadKernelOptions>(o => o.AddModel("stories260K", _ => model));
                if (throttle is TimeSpan pause)
                {
                    ServiceDescriptor chat = builder.Services.Last(d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService);
                    builder.Services.Remove(chat);
                    builder.Services.AddScoped<IChatClient>(sp => new ThrottledChatClient((IChatClient)chat.ImplementationFactory!(sp), pause));
                }

                services?.Invoke(builder.Services);
            });
        await app.StartAsync();
        return new ServerHost(app, model, database);
    }

    /// <summary>An OpenAI SDK chat client for this server, with the SDK's retries off so refusals surface as they are.</summary>
    public ChatClient OpenAIChat(string apiKey) =>
        new(ModelId, new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(BaseUri, "/v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromMinutes(2),
        });

    /// <summary>Streams a completion with the OpenAI SDK and returns the text of its deltas, concatenated.</summary>
    public static async Task<string> StreamTextAsync(ChatClient client, string prompt, ChatCompletionOptions options)
    {
        var text = new StringBuilder();
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new UserChatMessage(prompt)], options))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }

    /// <summary>A PadChatClient over the same model in this process: the reference the server's answers must equal.</summary>
    public PadChatClient Direct() => new(Model);

    public HttpRequestMessage Request(HttpMethod method, string path, string? apiKey, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? apiKey, string? json = null)
    {
        HttpResponseMessage response = await Http.SendAsync(Request(method, path, apiKey, json));
        string text = await response.Content.ReadAsStringAsync();
        JsonElement body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, body, response);
    }

    /// <summary>Polls <c>/health</c> until <paramref name="done"/> holds (bounded: fails after a minute).</summary>
    public async Task<JsonElement> WaitForHealthAsync(Func<JsonElement, bool> done)
    {
        for (int i = 0; i < 600; i++)
        {
            (_, JsonElement health, _) = await SendAsync(HttpMethod.Get, "/health", null);
            if (done(health))
            {
                return health;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The server's /health never reached the expected state.");
        return default;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
