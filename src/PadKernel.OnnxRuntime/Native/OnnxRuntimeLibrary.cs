using System.Reflection;
using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// Finds and loads the native ONNX Runtime library once per process, and answers the runtime's DllImport of
/// <see cref="NativeMethods.LibraryName"/> with it.
/// </summary>
internal static class OnnxRuntimeLibrary
{
    private static readonly Lock Gate = new();
    private static nint handle;
    private static string? loadedPath;
    private static bool resolverSet;

    /// <summary>Gets the path of the loaded library, or null before the first load.</summary>
    public static string? LoadedPath => loadedPath;

    /// <summary>Loads the library (once) and returns its handle.</summary>
    /// <exception cref="OnnxRuntimeNotFoundException">No library was found, or it failed to load.</exception>
    public static nint Load(string? explicitPath)
    {
        lock (Gate)
        {
            if (handle != 0)
            {
                return handle;
            }

            string path = Find(explicitPath, Environment.GetEnvironmentVariable(OnnxRuntimeOptions.LibraryPathEnvironmentVariable), AppContext.BaseDirectory);
            try
            {
                handle = NativeLibrary.Load(path);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                throw new OnnxRuntimeNotFoundException($"The ONNX Runtime library at {path} could not be loaded: {ex.Message}", ex);
            }

            loadedPath = path;
            if (!resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(OnnxRuntimeLibrary).Assembly, Resolve);
                resolverSet = true;
            }

            return handle;
        }
    }

    /// <summary>Returns the first existing candidate: explicit option or environment variable, next to the app, the repository cache.</summary>
    /// <exception cref="OnnxRuntimeNotFoundException">None exists; the message lists where it looked and how to provide one.</exception>
    internal static string Find(string? explicitPath, string? environmentPath, string baseDirectory)
    {
        var tried = new List<string>();
        foreach (string candidate in Candidates(explicitPath ?? environmentPath, baseDirectory))
        {
            tried.Add(candidate);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new OnnxRuntimeNotFoundException(
            "The native ONNX Runtime library was not found. Run scripts/setup-onnxruntime.sh (it fetches ONNX Runtime " +
            $"into .cache/onnxruntime), or set {OnnxRuntimeOptions.LibraryPathEnvironmentVariable} (or OnnxRuntimeOptions.NativeLibraryPath) " +
            $"to a {FileName} file or its folder. Looked in: {string.Join(", ", tried)}");
    }

    /// <summary>Gets the library's file name on this OS.</summary>
    public static string FileName =>
        OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.1.dylib" : "libonnxruntime.so.1";

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeMethods.LibraryName ? handle : 0;

    private static IEnumerable<string> Candidates(string? configured, string baseDir)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An explicit choice is the only one tried: silently falling back to another copy would hide a typo.
            string file = Directory.Exists(configured) ? Path.Combine(configured, FileName) : configured;
            yield return Path.GetFullPath(file);
            yield break;
        }

        foreach (string dir in new[] { Path.Combine(baseDir, "runtimes", RuntimeIdentifier, "native"), baseDir })
        {
            yield return Path.Combine(dir, FileName);
        }

        // A repository checkout: scripts/setup-onnxruntime.sh caches the library next to PadKernel.sln.
        for (DirectoryInfo? dir = new(baseDir); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PadKernel.sln")))
            {
                string cache = Path.Combine(dir.FullName, ".cache", "onnxruntime");
                string platform = $"{OsName}-{ArchitectureName}";
                IEnumerable<string> versions = Directory.Exists(cache)
                    ? Directory.EnumerateDirectories(cache).OrderDescending(StringComparer.Ordinal)
                    : [Path.Combine(cache, "<version>")];
                foreach (string versionDir in versions)
                {
                    yield return Path.Combine(versionDir, platform, FileName);
                }

                yield break;
            }
        }
    }

    private static string OsName => OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";

    private static string ArchitectureName => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";

    private static string RuntimeIdentifier => (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" + ArchitectureName;
}
