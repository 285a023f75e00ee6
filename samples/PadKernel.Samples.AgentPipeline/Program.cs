// The agent-pipeline sample: two users of one story-writing agent, each with their own remembered preferences,
// served by one shared model through PadKernel's IChatClient resolved per user scope.
//
//   dotnet run --project samples/PadKernel.Samples.AgentPipeline [models-folder]
//
// The models folder (holding stories260K/) comes from the argument, then $PADKERNEL_MODELS.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using PadKernel.Preferences;
using PadKernel.Preferences.Sqlite;
using PadKernel.Samples.AgentPipeline;

string? models = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("PADKERNEL_MODELS");
string modelFolder = Path.Combine(models ?? "", "stories260K");
if (string.IsNullOrWhiteSpace(models) || !Directory.Exists(modelFolder))
{
    Console.Error.WriteLine($"stories260K not found (looked in '{modelFolder}'). Pass the models folder or set PADKERNEL_MODELS; " +
                            "get the model with `pad models pull stories260K` or from https://huggingface.co/karpathy/tinyllamas.");
    return 1;
}

string database = Path.Combine(Path.GetTempPath(), $"padkernel-agent-sample-{Environment.ProcessId}.db");

// One line of DI: the model (a singleton), IChatClient per scope, preferences in SQLite, the user per scope.
var services = new ServiceCollection();
services.AddPadKernel(o => o.AddModel("stories", modelFolder, m => m.MaxOutputTokens = 48))
    .AddModelLoader<Llama2cModelLoader>()
    .UseSqlitePreferences(database);
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
    PrintLog(agent);
}

// Later, in fresh scopes (a new request of each user): nothing is passed, the scope's user decides.
var stories = new Dictionary<string, string>();
foreach (string user in users.Prepend("guest"))
{
    using IServiceScope scope = user == "guest" ? provider.CreateScope() : provider.CreatePadUserScope(user);
    StoryAgent agent = scope.ServiceProvider.GetRequiredService<StoryAgent>();
    Console.WriteLine($"== {user}");
    Console.Write($"{user}> {prompt}\nagent> {prompt}");
    var story = new System.Text.StringBuilder();
    await foreach (ChatResponseUpdate update in agent.StreamAsync(prompt))
    {
        Console.Write(update.Text);
        story.Append(update.Text);
    }

    stories[user] = story.ToString();
    Console.WriteLine();
    PrintLog(agent);
}

Console.WriteLine();
Console.WriteLine($"alice's story differs from the guest's: {stories["alice"] != stories["guest"]}; bob's: {stories["bob"] != stories["guest"]}");
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
foreach (string file in new[] { database, database + "-wal", database + "-shm" })
{
    File.Delete(file);
}

return stories["alice"] != stories["guest"] && stories["bob"] != stories["guest"] ? 0 : 2;

static void PrintLog(StoryAgent agent)
{
    foreach (string line in agent.TakeLog())
    {
        Console.WriteLine(line);
    }
}
