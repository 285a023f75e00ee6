using System.Diagnostics;
using System.Text;
using Xunit;

namespace PadKernel.Testing;

/// <summary>Runs a script of <c>tests/node</c> (reference implementations and real clients installed by scripts/setup.sh).</summary>
internal static class NodeScript
{
    /// <summary>Runs <c>node script args…</c> with <paramref name="input"/> on stdin and returns stdout; a failure fails the test with node's stderr.</summary>
    /// <param name="script">The script file in tests/node.</param>
    /// <param name="package">The npm package the script needs (checked first, for a clear message).</param>
    /// <param name="input">Text written to the script's standard input, or null.</param>
    /// <param name="args">Command-line arguments.</param>
    public static async Task<string> RunAsync(string script, string package, string? input, params string[] args)
    {
        string folder = Path.Combine(TestData.RepositoryRoot, "tests", "node");
        Assert.True(
            File.Exists(Path.Combine(folder, "node_modules", package, "package.json")),
            $"npm package {package} is not installed in {folder}: run scripts/setup.sh (npm ci --ignore-scripts in tests/node).");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start; Node.js 20+ must be on PATH.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node {script} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
