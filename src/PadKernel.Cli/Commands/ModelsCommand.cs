using System.CommandLine;
using PadKernel.Cli.Models;
using Spectre.Console;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad models list</c> and <c>pad models pull NAME</c>.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var list = new Command("list", "List the models pad can download and where each one is found.");
        list.SetAction(_ =>
        {
            var table = new Table().AddColumns("Model", "Description", "Found at");
            foreach (CatalogModel model in ModelCatalog.All)
            {
                string found = context.Models.Cache.SearchFolders(model.Name).FirstOrDefault(Directory.Exists) is string folder
                    ? context.Models.Cache.IsBundled(folder) ? folder + " (bundled)" : folder
                    : "(not downloaded)";
                table.AddRow(Markup.Escape(model.Name), Markup.Escape(model.Description), Markup.Escape(found));
            }

            context.Console.Write(table);
            return 0;
        });

        var name = new Argument<string>("name") { Description = "The model to download (see `pad models list`)." };
        var source = new Option<string?>("--source") { Description = $"Fetch from this folder URL instead of the model's public source (also {ModelCatalog.SourceVariable})." };
        var pull = new Command("pull", "Download a model into the cache, verifying sha256 checksums.") { name, source };
        pull.SetAction(async (parse, cancellationToken) =>
        {
            string requested = parse.GetRequiredValue(name);
            CatalogModel model = ModelCatalog.Find(requested)
                ?? throw new PadKernelException($"Unknown model '{requested}'; known models: {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}.");
            string url = parse.GetValue(source) ?? Environment.GetEnvironmentVariable(ModelCatalog.SourceVariable) ?? model.SourceUrl;
            string folder = Path.Combine(context.Models.Cache.CacheFolder, model.Name);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            var downloader = new ModelDownloader(http);
            await context.Console.Progress().StartAsync(async progress =>
            {
                var tasks = model.Files.ToDictionary(f => f.Name, f => progress.AddTask(f.Name, autoStart: true));
                await downloader.DownloadAsync(model, folder, url, (file, done, total) =>
                {
                    ProgressTask task = tasks[file];
                    task.MaxValue = total ?? Math.Max(done, 1);
                    task.Value = done;
                }, cancellationToken);
            });
            await context.Output.WriteLineAsync($"{model.Name}: verified and stored in {folder}");
            return 0;
        });

        return new Command("models", "Manage downloadable models.") { list, pull };
    }
}
