using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace PadKernel.Cli.Tests;

/// <summary>
/// <c>dotnet pack</c> gives a NuGet package for every library and <c>pad</c> as a .NET tool; the tool installs into a
/// tool path from that folder alone (no other package source) and runs from an empty folder with its bundled models.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private static readonly string[] Libraries =
    [
        "PadKernel", "PadKernel.Llama2c", "PadKernel.OnnxRuntime", "PadKernel.Tokenizers", "PadKernel.Extensions.AI",
        "PadKernel.SemanticKernel", "PadKernel.Preferences.Sqlite", "PadKernel.Preferences.Postgres", "PadKernel.Server", "PadKernel.Evaluation",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("pad-pack-").FullName;

    [Fact]
    public async Task Pack_GivesEveryLibraryAPackage_AndPadInstallsAsAToolThatRunsFromAnEmptyFolder()
    {
        // One pack of the solution, of what the test run already built; the tool carries this platform's native libraries only.
        string packages = Path.Combine(_folder, "packages");
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        await RunAsync(Dotnet, ["pack", Path.Combine(TestData.RepositoryRoot, "PadKernel.sln"), "-c", configuration, "--no-build", "-o", packages, $"-p:PadToolRuntimes={RuntimeInformation.RuntimeIdentifier}"], _folder);

        string version = PackageVersion(packages, "PadKernel");
        foreach (string id in Libraries)
        {
            XElement metadata = Nuspec(Path.Combine(packages, $"{id}.{version}.nupkg"), out IReadOnlyList<string> files);
            Assert.Equal(id, Value(metadata, "id"));
            Assert.Equal(version, Value(metadata, "version"));
            Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")), id);
            Assert.Equal("MIT", Value(metadata, "license"));
            Assert.Equal("README.md", Value(metadata, "readme"));
            Assert.Contains("README.md", files);
            Assert.Contains($"lib/net10.0/{id}.dll", files);
            Assert.Contains($"lib/net10.0/{id}.xml", files);
            Assert.True(File.Exists(Path.Combine(packages, $"{id}.{version}.snupkg")), $"{id} has no symbol package");

            // Project references become package dependencies at the same version.
            Assert.All(
                metadata.Descendants().Where(e => e.Name.LocalName == "dependency" && e.Attribute("id")!.Value.StartsWith("PadKernel", StringComparison.Ordinal)),
                d => Assert.Equal(version, d.Attribute("version")!.Value));
        }

        XElement tool = Nuspec(Path.Combine(packages, $"PadKernel.Cli.{version}.nupkg"), out IReadOnlyList<string> toolFiles);
        Assert.Contains(tool.Descendants(), e => e.Name.LocalName == "packageType" && e.Attribute("name")?.Value == "DotnetTool");
        Assert.Contains("tools/net10.0/any/models/stories260K/stories260K.bin", toolFiles);
        Assert.Contains("tools/net10.0/any/models/stories260K-persrm-onnx/model.onnx", toolFiles);
        Assert.DoesNotContain(toolFiles, f => f.StartsWith("tools/net10.0/any/runtimes/", StringComparison.Ordinal)
            && !f.StartsWith($"tools/net10.0/any/runtimes/{RuntimeInformation.RuntimeIdentifier}/", StringComparison.Ordinal));

        // Installed from the folder alone (a nuget.config with no source, so nothing is fetched), as README says.
        string config = Path.Combine(_folder, "nuget.config");
        await File.WriteAllTextAsync(config, "<configuration><packageSources><clear /></packageSources></configuration>");
        string tools = Path.Combine(_folder, "tools");
        await RunAsync(Dotnet, ["tool", "install", "PadKernel.Cli", "--tool-path", tools, "--add-source", packages, "--configfile", config, "--version", version], _folder);

        // Run from an empty folder: the default model and the reward model by name, from inside the tool.
        string empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        string pad = Path.Combine(tools, OperatingSystem.IsWindows() ? "pad.exe" : "pad");
        string[] generate = ["generate", "--prompt", "Once upon a time", "--preference", "The story is about a dog named Max.", "--weight", "4", "-n", "24"];
        string output = await RunAsync(pad, generate, empty);
        (int code, string expected, string error) = await CliRun.InvokeAsync([.. generate, "-m", TestData.StoriesFolder]);
        Assert.True(code == 0, error);
        Assert.Equal(expected, output);

        string rewardModel = await RunAsync(pad, ["generate", "-p", "Tom found a box under his bed.", "--preference", "The story is about a frog.", "-w", "1", "--reward-model", "stories260K-persrm-onnx", "-n", "8"], empty);
        Assert.StartsWith("Tom found a box under his bed.", rewardModel, StringComparison.Ordinal);
        string list = await RunAsync(pad, ["models", "list"], empty);
        Assert.Contains(Path.Combine(tools, ".store", "padkernel.cli"), list, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    private async Task<string> RunAsync(string executable, string[] args, string workingDirectory)
    {
        // The tool's launcher finds the runtime through DOTNET_ROOT, as a global tool does on a machine where dotnet is not in a standard place.
        var environment = new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.GetDirectoryName(Path.GetFullPath(ResolveDotnet()))!, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["COLUMNS"] = "400" };
        (int code, string output, string error) = await CliRun.RunAsync(executable, args, workingDirectory, Path.Combine(_folder, "cache"), environment: environment);
        Assert.True(code == 0, $"{executable} {string.Join(' ', args)} exited with {code}:\n{output}\n{error}");
        return output;
    }

    private static string ResolveDotnet()
    {
        string host = Dotnet;
        if (Path.IsPathRooted(host))
        {
            return new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host;
        }

        string found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(p => Path.Combine(p, host)).First(File.Exists);
        return new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found;
    }

    private static string PackageVersion(string packages, string id)
    {
        string file = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(packages, $"{id}.*.nupkg"), f => char.IsDigit(Path.GetFileName(f)[(id.Length + 1)..][0])));
        return file[(id.Length + 1)..];
    }

    private static XElement Nuspec(string package, out IReadOnlyList<string> files)
    {
        Assert.True(File.Exists(package), $"missing package {Path.GetFileName(package)}");
        using ZipArchive zip = ZipFile.OpenRead(package);
        files = [.. zip.Entries.Select(e => e.FullName)];
        using Stream nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
}
