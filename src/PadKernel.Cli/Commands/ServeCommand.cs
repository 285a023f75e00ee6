using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PadKernel.Models;
using PadKernel.Server.Hosting;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad serve</c>: an OpenAI-compatible HTTP endpoint with per-user preferences (see docs/server.md).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (port 0 picks a free port).",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var model = new Option<string?>("--model") { Description = "Model path or name (default: the PadKernel section of --config, else the default model)." };
        var config = new Option<string?>("--config") { Description = "JSON file with the PadServer (API keys, limits) and PadKernel (models, preferences database) sections." };
        var preferences = new Option<string?>("--preferences") { Description = $"SQLite file for users' preferences (default: PadServer:Preferences:Path, else PadKernel:PreferencesDatabase, else {PadServerApplication.DefaultPreferencesDatabase}). For PostgreSQL set PadServer:Preferences:ConnectionString." };
        var rewardModel = new Option<string?>("--reward-model") { Description = "A personalized reward model for --model (e.g. models/stories260K-persrm), used by requests with pad.mode \"reward_model\"." };
        var anonymous = new Option<bool>("--allow-anonymous") { Description = "Serve requests without an API key as the user 'anonymous' (local, single-user use)." };
        var command = new Command("serve", "Serve the model over the OpenAI chat-completions protocol, with per-user PAD preferences.")
        {
            urls, model, rewardModel, config, preferences, anonymous,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? configFile = parse.GetValue(config);
            string? requested = parse.GetValue(model);
            var options = new PadServerHostOptions
            {
                Urls = parse.GetRequiredValue(urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ConfigFile = configFile,
                PreferencesDatabase = parse.GetValue(preferences),
                AllowAnonymous = parse.GetValue(anonymous) ? true : null,

                // Without --model the configuration names the model; with neither, the default model serves.
                ModelPath = requested is not null || configFile is null ? context.Models.ResolvePath(requested) : null,
                RewardModelPath = parse.GetValue(rewardModel) is string reward ? context.Models.ResolvePath(reward) : null,
            };
            foreach (IModelLoader loader in PadCli.CreateLoaders())
            {
                options.Loaders.Add(loader);
            }

            WebApplication app;
            try
            {
                app = PadServerApplication.Create(options);
            }
            catch (OptionsValidationException ex)
            {
                throw new PadKernelException($"invalid server configuration: {string.Join(" ", ex.Failures)}");
            }

            await using (app)
            {
                await app.StartAsync(cancellationToken);
                await context.Output.WriteLineAsync($"pad serve: listening on {string.Join(", ", app.Urls)} (Ctrl+C stops)");
                await context.Output.FlushAsync(cancellationToken);

                // Ctrl+C (or the caller's token) stops the host: new requests are refused, in-flight streams finish or are cancelled.
                await app.WaitForShutdownAsync(cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
