using System.CommandLine;
using System.CommandLine.Invocation;
using PadKernel.Cli.Errors;
using PadKernel.Cli.Commands;
using PadKernel.Cli.Models;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;
using PadKernel.Preferences;
using Spectre.Console;

namespace PadKernel.Cli;

/// <summary>The <c>pad</c> command line, invocable in-process (tests pass their own writers).</summary>
public static class PadCli
{
    /// <summary>The exit code of an internal error (a bug, not bad input): 70, EX_SOFTWARE in sysexits.h.</summary>
    public const int InternalErrorExitCode = 70;

    /// <summary>The environment variable that, set to 1, prints the stack trace of an internal error.</summary>
    public const string VerboseVariable = "PADKERNEL_VERBOSE";

    /// <summary>
    /// Runs the command line. A user error (bad model, file, option) becomes one line on <paramref name="error"/> and exit
    /// code 1; an internal error one line saying so and <see cref="InternalErrorExitCode"/>, with the stack trace only
    /// under <c>--verbose</c> or <see cref="VerboseVariable"/>.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var context = new CliContext(output, error, CreateConsole(output), new ModelResolver(CreateLoaders(), ModelCache.FromEnvironment()));
        var verbose = new Option<bool>("--verbose") { Description = $"On an internal error, print the stack trace (or set {VerboseVariable}=1).", Recursive = true };
        Command chat = ChatCommand.Create(context);
        var root = new RootCommand("PadKernel: personalize what a local language model writes, per user, at decoding time (PAD).")
        {
            GenerateCommand.Create(context),
            CompareCommand.Create(context),
            chat,
            BenchCommand.Create(context),
            ModelsCommand.Create(context),
            EvalCommand.Create(context),
            ServeCommand.Create(context),
        };
        root.Options.Add(verbose);

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
        {
            // What went wrong and where the help is, not the whole help (which would bury the error).
            foreach (string line in ParseErrorReport.Describe(parsed))
            {
                await error.WriteLineAsync(line.StartsWith("Run '", StringComparison.Ordinal) ? line : $"pad: {line}");
            }

            return 1;
        }

        try
        {
            var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            if (ReferenceEquals(parsed.CommandResult.Command, chat))
            {
                // In pad chat, Ctrl+C stops an answer, not the session: the command handles SIGINT itself.
                invocation.ProcessTerminationTimeout = null;
            }

            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("pad: cancelled");
            return 130;
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            // Users get one clear line, not a stack trace; the message names the file, option or limit at fault.
            await error.WriteLineAsync($"pad: {UserMessage(ex)}");
            return 1;
        }
        catch (Exception ex)
        {
            // Anything else is a bug in pad, not in the user's input: say so, and keep the trace for --verbose.
            await error.WriteLineAsync($"pad: internal error ({ex.GetType().Name}): {OneLine(ex.Message)} This is a bug in pad; rerun with --verbose for the stack trace and report it.");
            if (parsed.GetValue(verbose) || Environment.GetEnvironmentVariable(VerboseVariable) is "1" or "true")
            {
                await error.WriteLineAsync(ex.ToString());
            }

            return InternalErrorExitCode;
        }
    }

    /// <summary>
    /// Errors in what the user gave: a bad model, file, option or request (the PadKernelException family, argument
    /// errors from options, file-system and network errors, which name the path or address). ArgumentNullException is
    /// a bug, never user input.
    /// </summary>
    private static bool IsUserError(Exception ex) =>
        ex is PadKernelException or IOException or UnauthorizedAccessException or HttpRequestException
        || (ex is ArgumentException && ex is not ArgumentNullException);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>The message of a user error in plain words: without the " (Parameter 'x')" and "Actual value was" .NET adds.</summary>
    internal static string UserMessage(Exception ex)
    {
        string message = ex.Message;
        if (ex is ArgumentException { ParamName: string param } && ex is not InvalidCharacterException)
        {
            // ArgumentOutOfRangeException puts "Actual value was …" on a line of its own; the value is in the option the user typed.
            message = message.Split('\n')[0].TrimEnd('\r');
            string suffix = $" (Parameter '{param}')";
            message = message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
        }

        return OneLine(message);
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

        // Redirected output has no terminal width: COLUMNS when set (as shells export it), else wide enough that tables
        // read (and grep) unwrapped.
        if (!interactive)
        {
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns >= 40 ? columns : 160;
        }

        return console;
    }
}
