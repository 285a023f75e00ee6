using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PadKernel.Extensions.AI;
using PadKernel.Models;
using PadKernel.Preferences;
using PadKernel.Preferences.Postgres;
using PadKernel.Preferences.Sqlite;
using PadKernel.Server.Configuration;
using PadKernel.Server.Errors;

namespace PadKernel.Server.Hosting;

/// <summary>
/// Builds the complete server: Kestrel on the given URLs, the model and chat client from <c>AddPadKernel</c>, users'
/// preferences in SQLite or PostgreSQL (<c>PadServer:Preferences</c>), and the endpoints of <c>MapPadServer</c>. <c>pad serve</c>, the tests and the load run all
/// start it this way.
/// </summary>
public static class PadServerApplication
{
    /// <summary>The environment variable that names the data folder (where the default SQLite preference file lives).</summary>
    public const string DataFolderVariable = "PADKERNEL_DATA";

    /// <summary>
    /// Gets the SQLite file used when neither the options nor configuration name one: <c>preferences.db</c> in
    /// <c>PADKERNEL_DATA</c>, else in <c>$XDG_DATA_HOME/padkernel</c> (<c>~/.local/share/padkernel</c>;
    /// <c>%LOCALAPPDATA%\padkernel</c> on Windows). The folder is created private to its owner.
    /// </summary>
    public static string DefaultPreferencesDatabase
    {
        get
        {
            string? data = Environment.GetEnvironmentVariable(DataFolderVariable);
            if (string.IsNullOrEmpty(data))
            {
                // LocalApplicationData is $XDG_DATA_HOME, else ~/.local/share, on Unix.
                data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "padkernel");
            }

            return Path.Combine(data, "preferences.db");
        }
    }

    // The registry name of PadServerHostOptions.RewardModelPath's model.
    private const string RewardModelName = "reward-model";

    /// <summary>Creates the application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    /// <param name="options">URLs, model, configuration file, preference database and loaders.</param>
    /// <param name="configure">Last changes to the builder before it is built (more services, logging, configuration).</param>
    public static WebApplication Create(PadServerHostOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (options.ConfigFile is string file)
        {
            string path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The configuration file '{path}' does not exist.", path);
            }

            builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        if (options.AllowAnonymous is bool anonymous)
        {
            builder.Configuration[$"{PadServerOptions.SectionName}:{nameof(PadServerOptions.AllowAnonymous)}"] = anonymous ? "true" : "false";
        }

        builder.WebHost.UseUrls([.. options.Urls]);

        // One line per request is noise for a model server; warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        PadKernelBuilder pad = builder.Services.AddPadKernel(builder.Configuration.GetSection(PadKernelOptions.SectionName), o =>
        {
            if (options.ModelPath is string modelPath)
            {
                // Named after its file or folder, so clients see "stories260K" rather than "default".
                o.AddModel(ModelName(modelPath), modelPath, m => m.RewardModel = options.RewardModelPath is null ? null : RewardModelName);
                o.DefaultModel = ModelName(modelPath);
                if (options.RewardModelPath is string rewardPath)
                {
                    o.AddModel(RewardModelName, rewardPath);
                }
            }
        });
        // One pipeline for the server: each request names its user (pad_user, from its API key).
        builder.Services.AddPadChatClient(lifetime: ServiceLifetime.Singleton);
        foreach (IModelLoader loader in options.Loaders)
        {
            pad.AddModelLoader(loader);
        }

        pad.UsePreferenceStore(sp => CreatePreferenceStore(options, sp));

        builder.Services.AddPadServer(builder.Configuration);
        configure?.Invoke(builder);

        WebApplication app = builder.Build();

        // Validate the configuration now: an OptionsValidationException here names every bad key, before any log noise.
        _ = app.Services.GetRequiredService<IOptions<PadServerOptions>>().Value;

        // Open the preference store now (creating or migrating its schema), so a bad path or database fails at startup.
        app.Services.GetRequiredService<IPreferenceStore>();

        // Load the model now, so a bad path fails at startup rather than on the first request.
        app.Services.GetRequiredService<PadModelRegistry>().GetModel();
        app.MapPadServer();

        // The whole app is the server: paths outside /v1 and /health get OpenAI's error JSON too, not an empty 404.
        app.MapFallback(context => ErrorWriter.WriteAsync(context, ApiException.NotFound($"Unknown endpoint {context.Request.Method} {context.Request.Path}.", null, "unknown_url")));
        return app;
    }

    private static IPreferenceStore CreatePreferenceStore(PadServerHostOptions options, IServiceProvider services)
    {
        PadServerPreferencesOptions preferences = services.GetRequiredService<IOptions<PadServerOptions>>().Value.Preferences;
        if (preferences.EffectiveStore == PadServerPreferencesOptions.Postgres)
        {
            if (options.PreferencesDatabase is not null)
            {
                throw new PadKernelException($"A SQLite preference file was given ('{options.PreferencesDatabase}') but {PadServerOptions.SectionName}:Preferences:Store is postgres; give one or the other.");
            }

            return new PostgresPreferenceStore(new PostgresPreferenceStoreOptions
            {
                ConnectionString = preferences.ConnectionString!,
                MaxStaleness = TimeSpan.FromSeconds(preferences.MaxStalenessSeconds),
            });
        }

        return new SqlitePreferenceStore(
            options.PreferencesDatabase
            ?? preferences.Path
            ?? services.GetRequiredService<IOptions<PadKernelOptions>>().Value.PreferencesDatabase
            ?? DefaultPreferencesDatabase);
    }

    private static string ModelName(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return Directory.Exists(full) ? Path.GetFileName(full) : Path.GetFileNameWithoutExtension(full);
    }
}
