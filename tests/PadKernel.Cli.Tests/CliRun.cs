namespace PadKernel.Cli.Tests;

/// <summary>Runs the pad command in-process and captures what it writes.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await PadCli.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
