using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using PadKernel.Alignment;
using PadKernel.Cli.Chat;
using PadKernel.Extensions.AI;
using PadKernel.Models;
using PadKernel.Preferences;
using PadKernel.Preferences.Sqlite;
using PadKernel.Server.Hosting;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad chat</c>: an interactive conversation with a model, steered by each user's remembered preferences.</summary>
internal static class ChatCommand
{
    private const string RewardModelName = "reward-model";

    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model", "-m") { Description = "Model path or name (default: stories260K, bundled); any model pad runs (pad models list)." };
        var rewardModel = new Option<string?>("--reward-model") { Description = "A personalized reward model (e.g. stories260K-persrm): the preferences are then scored by it (reward-model mode) instead of self-contrast." };
        var user = new Option<string>("--user", "-u") { Description = "Who is chatting: whose preferences are remembered and applied (default: your login name).", DefaultValueFactory = _ => DefaultUser() }
            .Require(u => PreferenceText.FindInvalidCharacter(u, allowLineBreaks: false) < 0 && u.Trim().Length > 0, "must be a non-empty name without control characters");
        var preferences = new Option<string?>("--preferences") { Description = $"The SQLite file users' preferences are remembered in (default: the one pad serve uses, {PadServerApplication.DefaultPreferencesDatabase})." };
        var weight = new Option<float>("--weight", "-w") { Description = "The weight /remember gives a preference when none is typed after it.", DefaultValueFactory = _ => 2f }
            .Require(OptionRules.Finite, "must be a finite number");
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Maximum tokens per answer.", DefaultValueFactory = _ => 120 }
            .Require(n => n >= 1, "must be at least 1");
        var temperature = new Option<float>("--temperature", "-t") { Description = "Sampling temperature; 0 (greedy) lets /trace replay an answer exactly.", DefaultValueFactory = _ => 0f }
            .Require(t => float.IsFinite(t) && t >= 0, "must be a number ≥ 0 (0 is greedy)");
        var topK = new Option<int>("--top-k", "-k") { Description = "PAD's candidate set K.", DefaultValueFactory = _ => 10 }
            .Require(k => k >= 1, "must be at least 1");
        var command = new Command("chat", "Chat with a model in the terminal; each user's remembered preferences steer its answers (/help inside lists the commands).")
        {
            model, rewardModel, user, preferences, weight, maxTokens, temperature, topK,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string modelPath = context.Models.ResolvePath(parse.GetValue(model));
            string? rewardPath = parse.GetValue(rewardModel) is string reward ? context.Models.ResolvePath(reward, "--reward-model") : null;
            string database = Path.GetFullPath(parse.GetValue(preferences) ?? PadServerApplication.DefaultPreferencesDatabase);
            string modelName = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelPath));

            // The chat client comes from PadKernel's DI registration, as an app would get it: one model, SQLite memory.
            var services = new ServiceCollection();
            PadKernelBuilder pad = services.AddPadKernel(o =>
            {
                o.AddModel(modelName, modelPath, m =>
                {
                    m.MaxOutputTokens = parse.GetValue(maxTokens);
                    m.Temperature = parse.GetValue(temperature);
                    m.PadTopK = parse.GetValue(topK);
                    m.RewardModel = rewardPath is null ? null : RewardModelName;
                    m.Mode = rewardPath is null ? RewardMode.SelfContrast : RewardMode.RewardModel;
                });
                if (rewardPath is not null)
                {
                    o.AddModel(RewardModelName, rewardPath);
                }

                o.DefaultModel = modelName;
            });
            foreach (IModelLoader loader in PadCli.CreateLoaders())
            {
                pad.AddModelLoader(loader);
            }

            pad.UseSqlitePreferences(database);
            services.AddPadChatClient();
            await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
            ILanguageModel loaded = provider.GetRequiredService<PadModelRegistry>().GetModel();

            using var repl = new ChatRepl(provider, parse.GetRequiredValue(user), parse.GetValue(weight), Console.In, context.Output, context.Console);

            // Ctrl+C stops the answer being written; at the prompt it only says how to leave.
            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
            {
                signal.Cancel = true;
                repl.Interrupt();
            });

            string mode = rewardPath is null ? "self-contrast" : $"reward model {Path.GetFileName(Path.TrimEndingDirectorySeparator(rewardPath))}";
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"pad chat: {modelName} ({loaded.Info.Runtime}, PAD {mode}); preferences remembered in {database}."));
            if (!loaded.Info.IsChatModel)
            {
                await context.Output.WriteLineAsync($"{modelName} is not a chat model: it continues each message on its own.");
            }

            await context.Output.WriteLineAsync("/help lists the commands; Ctrl+C stops an answer, /exit or Ctrl+D ends the session.");
            await repl.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static string DefaultUser()
    {
        string name = Environment.UserName;
        return string.IsNullOrWhiteSpace(name) ? "me" : name;
    }
}
