namespace PadKernel.Hardening.Tests;

/// <summary>A temporary folder deleted with everything in it (links are removed, never followed).</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "padkernel-hardening-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, ReadOnlySpan<byte> data)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    public string WriteText(string name, string text)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Creates a named pipe: opening it for reading would block until a writer comes, forever in these tests.</summary>
    public string Fifo(string name)
    {
        string path = File(name);
        using var process = System.Diagnostics.Process.Start("mkfifo", [path]);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
