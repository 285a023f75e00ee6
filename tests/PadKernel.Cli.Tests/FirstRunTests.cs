using System.Security.Cryptography;
using PadKernel.Cli.Models;

namespace PadKernel.Cli.Tests;

/// <summary>
/// A new user's first run: a fresh clone, no network, no <c>PADKERNEL_MODELS</c>, an empty download cache. README's run
/// command must work with the story model the repository ships.
/// </summary>
[Collection(nameof(EnvironmentCollection))]
public sealed class FirstRunTests : IDisposable
{
    // README's "Run it" command, after `dotnet run --project src/PadKernel.Cli -c Release --`.
    private static readonly string[] ReadmeCommand =
        ["generate", "--prompt", "Once upon a time", "--preference", "The story is about a dog named Max.", "--weight", "4", "--trace"];

    private readonly string _empty = Directory.CreateTempSubdirectory("pad-first-run-").FullName;

    [Fact]
    public async Task ReadmesRunCommand_WorksWithNoModelsFolderAndAnEmptyCache()
    {
        (int code, string output, string error) = await Offline(() => CliRun.InvokeAsync(ReadmeCommand));

        Assert.True(code == 0, error);
        Assert.Empty(error);

        // The same text as from the shared copy of the model, named by path.
        (int expectedCode, string expected, _) = await CliRun.InvokeAsync([.. ReadmeCommand, "--model", TestData.StoriesFolder]);
        Assert.Equal(0, expectedCode);
        Assert.Equal(expected, output);
        Assert.Contains("Max", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadmesPastedRuns_AreExactlyWhatPadPrints()
    {
        // Each "$ COLUMNS=110 dotnet run --project src/PadKernel.Cli -c Release -- …" block of README and its output.
        string[] readme = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "README.md"));
        int[] runs = [.. Enumerable.Range(0, readme.Length).Where(i => readme[i].TrimStart().StartsWith("$ COLUMNS=", StringComparison.Ordinal))];
        Assert.True(runs.Length >= 2, "README has fewer pasted runs than expected");
        foreach (int at in runs)
        {
            int indent = readme[at].Length - readme[at].TrimStart().Length;
            string command = readme[at].Trim();
            string[] printed = [.. readme[(at + 1)..].TakeWhile(l => l.Trim() != "```").Select(l => l[Math.Min(indent, l.Length)..])];
            string columns = command["$ COLUMNS=".Length..command.IndexOf(' ', 2)];
            string[] args = ShellWords(command[(command.IndexOf(" -- ", StringComparison.Ordinal) + 4)..]);

            Environment.SetEnvironmentVariable("COLUMNS", columns);
            (int code, string output, string error) = await Offline(() => CliRun.InvokeAsync(args));
            Environment.SetEnvironmentVariable("COLUMNS", null);

            Assert.True(code == 0, error);
            Assert.Equal(printed, output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));
        }
    }

    [Fact]
    public async Task ThePadApp_RunsFromAnotherFolder_WithNothingButItsOwnFiles()
    {
        (int code, string output, string error) = await CliRun.ProcessAsync(_empty, _empty, [.. ReadmeCommand, "-n", "12"]);

        Assert.True(code == 0, error);
        Assert.StartsWith("Once upon a time", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBundledRewardModel_IsFoundByNameFromAnyFolder()
    {
        (int code, string output, string error) = await CliRun.ProcessAsync(
            _empty, _empty, ["generate", "-p", "Tom found a box under his bed.", "--preference", "The story is about a frog.", "-w", "0.5", "--reward-model", "stories260K-persrm", "-n", "12"]);

        Assert.True(code == 0, error);
        (int expectedCode, string expected, _) = await CliRun.InvokeAsync(
            "generate", "-m", TestData.StoriesFolder, "-p", "Tom found a box under his bed.", "--preference", "The story is about a frog.", "-w", "0.5", "--reward-model", Path.Combine(TestData.BundledModelsFolder, "stories260K-persrm"), "-n", "12");
        Assert.Equal(0, expectedCode);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void TheShippedModel_MatchesItsSha256Sums_TheCatalogsPins_AndTheSizeBudget()
    {
        string folder = Path.Combine(TestData.RepositoryRoot, "models", "stories260K");
        string[] lines = File.ReadAllLines(Path.Combine(folder, "SHA256SUMS")).Where(l => l.Trim().Length > 0).ToArray();
        CatalogModel catalog = ModelCatalog.Find("stories260K")!;

        Assert.Equal(catalog.Files.Count, lines.Length);
        long total = 0;
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            string file = parts[1].TrimStart('*');
            byte[] bytes = File.ReadAllBytes(Path.Combine(folder, file));
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(catalog.Files.Single(f => f.Name == file).Sha256, parts[0]);
            total += bytes.Length;
        }

        Assert.InRange(total, 1, 1_200_000);
        Assert.Contains("MIT", File.ReadAllText(Path.Combine(folder, "LICENSE")), StringComparison.Ordinal);

        // And the copy next to the app is the same.
        foreach (CatalogFile file in catalog.Files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, file.Name)), File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "models", "stories260K", file.Name)));
        }
    }

    [Fact]
    public void NamedModels_ResolveFromTheModelsFolder_ThenTheCache_ThenTheBundledCopy()
    {
        string models = Directory.CreateDirectory(Path.Combine(_empty, "models")).FullName;
        string cache = Directory.CreateDirectory(Path.Combine(_empty, "cache")).FullName;
        string bundled = Path.Combine(AppContext.BaseDirectory, "models");
        var resolver = new ModelResolver(PadCli.CreateLoaders(), new ModelCache(models, cache, bundled));

        // An interrupted pull leaves an empty cache folder: it does not hide the bundled copy.
        Directory.CreateDirectory(Path.Combine(cache, "stories260K"));
        Assert.Equal(Path.Combine(bundled, "stories260K"), resolver.ResolvePath(null));

        CopyStories(Path.Combine(cache, "stories260K"));
        Assert.Equal(Path.Combine(cache, "stories260K"), resolver.ResolvePath(null));

        CopyStories(Path.Combine(models, "stories260K"));
        Assert.Equal(Path.Combine(models, "stories260K"), resolver.ResolvePath("stories260K"));

        // A path wins over every name lookup.
        Assert.Equal(TestData.StoriesFolder, resolver.ResolvePath(TestData.StoriesFolder));

        // A name found only as an unloadable folder is not found, and the message says why.
        Directory.CreateDirectory(Path.Combine(models, "half-pulled"));
        var missing = Assert.Throws<PadKernelException>(() => resolver.ResolvePath("half-pulled"));
        Assert.Contains(Path.Combine(models, "half-pulled") + " (no model a runtime recognizes)", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedBundledCopy_NamesTheFileAndTheFix()
    {
        string bundled = Path.Combine(_empty, "bundled");
        CopyStories(Path.Combine(bundled, "stories260K"));
        File.WriteAllText(Path.Combine(bundled, "stories260K", "stories260K.bin"), "version https://git-lfs.github.com/spec/v1\noid sha256:b0a5\nsize 1056540\n");
        var resolver = new ModelResolver(PadCli.CreateLoaders(), new ModelCache(null, Path.Combine(_empty, "cache"), bundled));

        var error = Assert.Throws<PadKernelException>(() => resolver.ResolvePath(null));
        Assert.Contains("stories260K.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
        Assert.Contains("pad models pull stories260K", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsPull_Offline_SaysTheModelIsBundledAndNamesTheBundledModels()
    {
        (int code, string _, string error) = await Offline(() => CliRun.InvokeAsync("models", "pull", "stories260K"));

        Assert.Equal(1, code);
        Assert.Contains("stories260K is bundled with pad", error, StringComparison.Ordinal);
        Assert.Contains("runs without a download", error, StringComparison.Ordinal);
        Assert.Contains("stories260K-persrm", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ModelsList_ShowsEveryModelPadCanRun_WithFormatSizeAndWhereItWasFound()
    {
        string models = Directory.CreateDirectory(Path.Combine(_empty, "models")).FullName;
        CopyStories(Path.Combine(models, "my-story"));
        (int code, string output, string error) = await Offline(() => WithModelsFolder(models, () => CliRun.InvokeAsync("models", "list")));

        Assert.True(code == 0, error);
        string[] rows = output.Split('\n');
        string Row(string name) => Assert.Single(rows, r => r.StartsWith($"│ {name} ", StringComparison.Ordinal));
        Assert.Contains("ONNX Runtime GenAI", Row("stories260K-persrm-onnx"), StringComparison.Ordinal);
        Assert.Contains("llama2.c checkpoint", Row("stories260K-persrm"), StringComparison.Ordinal);
        Assert.Contains("bundled", Row("stories260K"), StringComparison.Ordinal);
        Assert.Contains("1.0 MiB", Row("stories260K"), StringComparison.Ordinal);
        Assert.Contains(ModelCache.ModelsVariable, Row("my-story"), StringComparison.Ordinal);
        Assert.Contains(Path.Combine(models, "my-story"), Row("my-story"), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_empty, recursive: true);

    // Splits a command line as a POSIX shell does for plain words and double-quoted strings (all README uses).
    private static string[] ShellWords(string line) =>
        System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToArray();

    private static async Task<T> WithModelsFolder<T>(string folder, Func<Task<T>> action)
    {
        Environment.SetEnvironmentVariable(ModelCache.ModelsVariable, folder);
        try
        {
            return await action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelCache.ModelsVariable, null);
        }
    }

    private static void CopyStories(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (string file in new[] { "stories260K.bin", "tok512.bin" })
        {
            File.Copy(Path.Combine(TestData.StoriesFolder, file), Path.Combine(folder, file));
        }
    }

    private async Task<T> Offline<T>(Func<Task<T>> action)
    {
        string? models = Environment.GetEnvironmentVariable(ModelCache.ModelsVariable);
        string? cache = Environment.GetEnvironmentVariable(ModelCache.CacheVariable);
        string? source = Environment.GetEnvironmentVariable(ModelCatalog.SourceVariable);
        Environment.SetEnvironmentVariable(ModelCache.ModelsVariable, null);
        Environment.SetEnvironmentVariable(ModelCache.CacheVariable, _empty);

        // Nothing may be fetched: a download would go here and fail.
        Environment.SetEnvironmentVariable(ModelCatalog.SourceVariable, "http://127.0.0.1:9/unreachable/");
        try
        {
            return await action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelCache.ModelsVariable, models);
            Environment.SetEnvironmentVariable(ModelCache.CacheVariable, cache);
            Environment.SetEnvironmentVariable(ModelCatalog.SourceVariable, source);
        }
    }
}
