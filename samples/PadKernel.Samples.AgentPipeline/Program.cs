// The agent-pipeline sample: two users of one story-writing agent, each with their own remembered preferences, served by
// one shared model through the IChatClient DI builds per user scope as a Microsoft.Extensions.AI pipeline:
// personalization → distributed cache (shared by everyone) → logging → OpenTelemetry → PadKernel.
//
//   dotnet run --project samples/PadKernel.Samples.AgentPipeline [models-folder]
//
// The story model comes from the models folder given (holding stories260K/), else $PADKERNEL_MODELS, else the copy
// bundled next to the sample.
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using PadKernel.Preferences;
using PadKernel.Preferences.Sqlite;
using PadKernel.Samples.AgentPipeline;

string[] tried = [.. new[] { args.Length > 0 ? args[0] : null, Environment.GetEnvironmentVariable("PADKERNEL_MODELS"), Path.Combine(AppContext.BaseDirectory, "models") }
    .Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => Path.Combine(f!, "stories260K"))];
string? modelFolder = tried.FirstOrDefault(Directory.Exists);
if (modelFolder is null)
{
    Console.Error.WriteLine($"stories260K not found (looked in {string.Join(", ", tried)}). Pass a models folder that holds it.");
    return 1;
}

string database = Path.Combine(Path.GetTempPath(), $"padkernel-agent-sample-{Environment.ProcessId}.db");
const string TelemetrySource = "PadKernel.Samples.AgentPipeline";

// Telemetry: an app would add the OpenTelemetry SDK (AddSource(TelemetrySource), AddMeter(PadTelemetry.MeterName));
// here a plain listener prints PAD's attributes of each gen_ai span.
int modelCalls = 0;
using var spans = new ActivityListener
{
    ShouldListenTo = source => source.Name == TelemetrySource,
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    ActivityStopped = span =>
    {
        Interlocked.Increment(ref modelCalls);
        Console.WriteLine($"  [span] {span.DisplayName}: {PadTelemetry.PreferenceCount}={span.GetTagItem(PadTelemetry.PreferenceCount)} " +
                          $"{PadTelemetry.ChangedTokens}={span.GetTagItem(PadTelemetry.ChangedTokens)} gen_ai.usage.output_tokens={span.GetTagItem("gen_ai.usage.output_tokens")}");
    },
};
ActivitySource.AddActivityListener(spans);

// Two DI registrations: PadKernel (the model, a singleton; preferences in SQLite; the user per scope), and the model's
// chat client, whose pipeline DI builds in every scope. PadKernel puts personalization first, so the shared cache keys on the user
// and the preferences that apply: two users never share an answer, and a changed preference set is a new key.
var services = new ServiceCollection();
services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new LineLoggerProvider(Console.WriteLine)));
services.AddDistributedMemoryCache();
services.AddPadKernel(o => o.AddModel("stories", modelFolder, m => m.MaxOutputTokens = 48))
    .AddModelLoader<Llama2cModelLoader>()
    .UseSqlitePreferences(database);
services.AddPadChatClient()
    .UseDistributedCache()
    .UseLogging()
    .UseOpenTelemetry(sourceName: TelemetrySource);
services.AddScoped<StoryAgent>();
await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

IPreferenceStore store = provider.GetRequiredService<IPreferenceStore>();
string[] users = ["alice", "bob"];
foreach (string user in users)
{
    await store.ClearAsync(user);
}

const string prompt = "Once upon a time";
Dictionary<string, string> told = new()
{
    ["alice"] = "from now on: The story is about a dog named Max.",
    ["bob"] = "from now on: The story is sad. Everyone cried.",
};

foreach (string user in users)
{
    using IServiceScope scope = provider.CreatePadUserScope(user);
    StoryAgent agent = scope.ServiceProvider.GetRequiredService<StoryAgent>();
    Console.WriteLine($"== {user}");
    Console.WriteLine($"{user}> {told[user]}");
    Console.WriteLine($"agent> {(await agent.SayAsync(told[user])).Text}");
    Console.WriteLine($"  remembered: {await agent.ListPreferencesAsync()}");
}

// Later, in fresh scopes (a new request of each user): nothing is passed, the scope's user decides. The second round
// asks the same again: the cache answers, so no model call (no log line, no span) happens.
var stories = new Dictionary<string, string>();
bool cacheServedRoundTwo = true;
foreach (int round in new[] { 1, 2 })
{
    foreach (string user in users.Prepend("guest"))
    {
        int callsBefore = modelCalls;
        string story = await Tell(user, round == 2 ? " (again)" : "");
        if (round == 1)
        {
            stories[user] = story;
        }
        else
        {
            cacheServedRoundTwo &= story == stories[user] && modelCalls == callsBefore;
        }
    }
}

// Alice changes her mind: a new preference set, so the cache misses and her story follows it.
await store.SetAsync("alice", "The story is sad. Everyone cried.", 3f);
int beforeChange = modelCalls;
string changed = await Tell("alice", " (after adding a preference)");
bool freshAfterChange = modelCalls == beforeChange + 1 && changed != stories["alice"];

Console.WriteLine();
Console.WriteLine($"alice's story differs from the guest's: {stories["alice"] != stories["guest"]}; bob's: {stories["bob"] != stories["guest"]}; " +
                  $"alice's from bob's: {stories["alice"] != stories["bob"]}");
Console.WriteLine($"second round served from the shared cache: {cacheServedRoundTwo}; fresh story after alice's change: {freshAfterChange}");
await provider.DisposeAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
foreach (string file in new[] { database, database + "-wal", database + "-shm" })
{
    File.Delete(file);
}

bool personal = stories["alice"] != stories["guest"] && stories["bob"] != stories["guest"] && stories["alice"] != stories["bob"];
return personal && cacheServedRoundTwo && freshAfterChange ? 0 : 2;

async Task<string> Tell(string user, string note)
{
    using IServiceScope scope = user == "guest" ? provider.CreateScope() : provider.CreatePadUserScope(user);
    StoryAgent agent = scope.ServiceProvider.GetRequiredService<StoryAgent>();
    Console.WriteLine($"== {user}{note}");
    Console.WriteLine($"{user}> {prompt}");
    var story = new System.Text.StringBuilder();
    await foreach (ChatResponseUpdate update in agent.StreamAsync(prompt))
    {
        story.Append(update.Text);
    }

    // Printed after the stream so the log and span lines of the request come first.
    Console.WriteLine($"agent> {prompt}{story}");
    return story.ToString();
}
