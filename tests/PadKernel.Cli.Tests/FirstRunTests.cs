using System.Diagnostics;
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
    public async Task ThePadApp_RunsFromAnotherFolder_WithNothingButItsOwnFiles()
    {
        string pad = Path.Combine(AppContext.BaseDirectory, "pad.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(pad);
        foreach (string arg in ReadmeCommand)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("-n");
        start.ArgumentList.Add("12");
        start.Environment.Remove(ModelCache.ModelsVariable);
        start.Environment[ModelCache.CacheVariable] = _empty;

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(process.ExitCode == 0, await error);
        Assert.NotEmpty((await output).Trim());
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

    public void Dispose() => Directory.Delete(_empty, recursive: true);

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
