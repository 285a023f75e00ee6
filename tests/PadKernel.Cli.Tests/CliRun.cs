using System.Diagnostics;
using PadKernel.Cli.Models;

namespace PadKernel.Cli.Tests;

/// <summary>Runs the pad command in-process, or as its own process, and captures what it writes.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await PadCli.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs <c>dotnet pad.dll</c> (the app built beside the tests) in <paramref name="workingDirectory"/>, with no
    /// <c>PADKERNEL_MODELS</c> and the download cache in <paramref name="cache"/>, feeding <paramref name="input"/> to
    /// its standard input.
    /// </summary>
    public static Task<(int ExitCode, string Output, string Error)> ProcessAsync(string workingDirectory, string cache, string[] args, string? input = null) =>
        RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, "pad.dll"), .. args], workingDirectory, cache, input);

    /// <summary>Runs <paramref name="executable"/> as <see cref="ProcessAsync"/> runs pad.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string executable, string[] args, string workingDirectory, string cache, string? input = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove(ModelCache.ModelsVariable);
        start.Environment[ModelCache.CacheVariable] = cache;
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output, await error);
    }
}
