using System.CommandLine;
using System.Globalization;
using PadKernel.Cli.Models;
using Spectre.Console;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad models list</c> and <c>pad models pull NAME</c>.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var list = new Command("list", $"List every model pad can run (bundled, downloaded, and in {ModelCache.ModelsVariable}) with its format, size and folder, and the models pad can download.");
        list.SetAction(_ =>
        {
            IReadOnlyList<InstalledModel> installed = context.Models.Inventory();
            var table = new Table().AddColumns("Model", "Format", "Size", "Found in", "Folder");
            foreach (InstalledModel model in installed)
            {
                string source = model.Hidden ? $"{model.Source} (hidden: the name finds the copy above)" : model.Source;
                table.AddRow(Markup.Escape(model.Name), Markup.Escape(Format(model.Runtime)), Size(model.Bytes), Markup.Escape(source), Markup.Escape(model.Folder));
            }

            foreach (CatalogModel model in ModelCatalog.All.Where(m => !installed.Any(i => string.Equals(i.Name, m.Name, StringComparison.OrdinalIgnoreCase))))
            {
                table.AddRow(Markup.Escape(model.Name), "", "", "not downloaded", Markup.Escape($"pad models pull {model.Name}"));
            }

            context.Console.Write(table);
            context.Console.WriteLine($"Pass a name to --model or --reward-model; the first folder found wins. Downloadable: {string.Join(", ", ModelCatalog.All.Select(m => m.Name))} (pad models pull NAME).");
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
            try
            {
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
            }
            catch (HttpRequestException e)
            {
                throw new PadKernelException($"Downloading {model.Name} from {url} failed ({e.Message}). {Offline(context, model.Name)}", e);
            }

            await context.Output.WriteLineAsync($"{model.Name}: verified and stored in {folder}");
            return 0;
        });

        return new Command("models", "List the models pad can run and download more.") { list, pull };
    }

    /// <summary>What a user without network still has: the bundled models, and whether the one asked for is among them.</summary>
    private static string Offline(CliContext context, string name)
    {
        InstalledModel[] bundled = context.Models.Inventory().Where(m => m.Source == "bundled").ToArray();
        InstalledModel? same = bundled.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        string names = string.Join(", ", bundled.Select(m => m.Name));
        return same is not null
            ? $"{same.Name} is bundled with pad ({same.Folder}) and runs without a download; bundled models: {names}."
            : bundled.Length > 0 ? $"Without network pad runs its bundled models: {names} (`pad models list`)." : "";
    }

    private static string Format(string runtime) => runtime switch
    {
        "llama2c" => "llama2.c checkpoint",
        "onnxruntime" => "ONNX Runtime GenAI",
        _ => runtime,
    };

    private static string Size(long bytes) =>
        bytes >= 1 << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0} KiB");
}
