using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>Where the native library is looked for, in order, and the error when it is nowhere.</summary>
public sealed class LibraryResolutionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("padkernel-ortlib-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ExplicitPathWinsAndAFolderIsCompletedWithTheFileName()
    {
        string file = Touch(Path.Combine(folder, "custom", OnnxRuntimeLibrary.FileName));
        Touch(Path.Combine(folder, "app", OnnxRuntimeLibrary.FileName));

        Assert.Equal(file, OnnxRuntimeLibrary.Find(Path.Combine(folder, "custom"), null, Path.Combine(folder, "app")));
        Assert.Equal(file, OnnxRuntimeLibrary.Find(file, "/elsewhere/ignored", Path.Combine(folder, "app")));
        Assert.Equal(file, OnnxRuntimeLibrary.Find(null, Path.Combine(folder, "custom"), Path.Combine(folder, "app")));
    }

    [Fact]
    public void AnExplicitPathThatDoesNotExistIsNotSilentlyReplaced()
    {
        Touch(Path.Combine(folder, "app", OnnxRuntimeLibrary.FileName));

        var error = Assert.Throws<OnnxRuntimeNotFoundException>(() => OnnxRuntimeLibrary.Find(Path.Combine(folder, "typo.so"), null, Path.Combine(folder, "app")));
        Assert.Contains(Path.Combine(folder, "typo.so"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeNuGetLayoutComesBeforeTheAppFolderAndTheRepositoryCache()
    {
        string app = Path.Combine(folder, "repo", "bin", "app");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "repo")).FullName, "PadKernel.sln"), "");
        string cached = Touch(Path.Combine(folder, "repo", ".cache", "onnxruntime", "1.30.0", Platform(), OnnxRuntimeLibrary.FileName));
        Assert.Equal(cached, OnnxRuntimeLibrary.Find(null, null, app));

        string beside = Touch(Path.Combine(app, OnnxRuntimeLibrary.FileName));
        Assert.Equal(beside, OnnxRuntimeLibrary.Find(null, null, app));

        string runtimes = Touch(Path.Combine(app, "runtimes", Rid(), "native", OnnxRuntimeLibrary.FileName));
        Assert.Equal(runtimes, OnnxRuntimeLibrary.Find(null, null, app));
    }

    [Fact]
    public void MissingLibrarySaysHowToProvideOne()
    {
        var error = Assert.Throws<OnnxRuntimeNotFoundException>(() => OnnxRuntimeLibrary.Find(null, null, Path.Combine(folder, "empty")));
        Assert.Contains("scripts/setup-onnxruntime.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntimeOptions.LibraryPathEnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLoadedLibraryReportsItsVersion()
    {
        _ = TestModels.Get(TestModels.Stories);
        Assert.StartsWith("1.30.", InferenceSession.RuntimeVersion, StringComparison.Ordinal);
        Assert.True(File.Exists(InferenceSession.LibraryPath));
    }

    private static string Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    private static string Arch => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64";

    private static string Platform() => (OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux") + "-" + Arch;

    private static string Rid() => (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" + Arch;
}
