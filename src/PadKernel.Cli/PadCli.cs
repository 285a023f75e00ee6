using System.CommandLine;
using PadKernel.Cli.Commands;
using PadKernel.Cli.Models;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;
using Spectre.Console;

namespace PadKernel.Cli;

/// <summary>The <c>pad</c> command line, invocable in-process (tests pass their own writers).</summary>
public static class PadCli
{
    /// <summary>Runs the command line; errors become one line on <paramref name="error"/> and a non-zero exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var context = new CliContext(output, error, CreateConsole(output), new ModelResolver(CreateLoaders(), ModelCache.FromEnvironment()));
        var root = new RootCommand("PadKernel: personalize what a local language model writes, per user, at decoding time (PAD).")
        {
            GenerateCommand.Create(context),
            CompareCommand.Create(context),
            BenchCommand.Create(context),
            ModelsCommand.Create(context),
            EvalCommand.Create(context),
            ServeCommand.Create(context),
        };

        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("pad: cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is PadKernelException or ArgumentException or IOException or UnauthorizedAccessException or HttpRequestException or InvalidOperationException)
        {
            // Users get one clear line, not a stack trace; the message names the file, option or limit at fault.
            await error.WriteLineAsync($"pad: {ex.Message}");
            return 1;
        }
    }

    internal static IReadOnlyList<IModelLoader> CreateLoaders() => [new Llama2cModelLoader(), new OnnxModelLoader()];

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });

        // Redirected output has no terminal width; tables are easier to read (and grep) unwrapped.
        if (!interactive)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
