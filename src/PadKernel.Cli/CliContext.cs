using PadKernel.Cli.Models;
using Spectre.Console;

namespace PadKernel.Cli;

/// <summary>What every command writes to and loads models with.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, IAnsiConsole Console, ModelResolver Models);
