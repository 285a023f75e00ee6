using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PadKernel.Cli.Errors;

/// <summary>
/// Says what was wrong with a command line in plain words: an unknown option with the nearest known one, a value that
/// is not a number named by its option (never a CLR type name), then one line pointing to <c>--help</c> — not the
/// whole help, which would bury the error.
/// </summary>
internal static class ParseErrorReport
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        Command command = parse.CommandResult.Command;
        var lines = new List<string>();

        // The first stray word explains the rest (the value of an unknown option, the options of an unknown command).
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                string? suggestion = NearestName.Find(token, OptionNames(parse.CommandResult));
                lines.Add(suggestion is null ? $"unknown option '{token}'." : $"unknown option '{token}'; did you mean '{suggestion}'?");
            }
            else if (command.Subcommands.Count > 0)
            {
                string? suggestion = NearestName.Find(token, command.Subcommands.Select(c => c.Name));
                lines.Add(suggestion is null ? $"unknown command '{token}'." : $"unknown command '{token}'; did you mean '{suggestion}'?");
            }
            else
            {
                lines.Add($"unexpected argument '{token}' (every value follows its option, e.g. --prompt \"Once upon a time\").");
            }
        }

        if (lines.Count == 0)
        {
            foreach (ParseError error in parse.Errors)
            {
                string line = Describe(error);
                if (!lines.Contains(line))
                {
                    lines.Add(line);
                }
            }
        }

        lines.Add($"Run '{CommandPath(parse.CommandResult)} --help' to see its options.");
        return lines;
    }

    private static string Describe(ParseError error)
    {
        OptionResult? option = error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult;
        if (option is not null && NumberKind(option.Option.ValueType) is string kind)
        {
            Type type = ElementType(option.Option.ValueType);
            string? bad = option.Tokens.Select(t => t.Value).FirstOrDefault(value => !ParsesAs(value, type));
            if (bad is not null)
            {
                return $"{option.Option.Name} takes {kind} (got '{bad}').";
            }
        }

        return error.Message.TrimEnd();
    }

    private static string? NumberKind(Type type)
    {
        Type element = ElementType(type);
        return element == typeof(float) || element == typeof(double) ? "a number"
            : element == typeof(int) || element == typeof(long) ? "a whole number"
            : null;
    }

    private static Type ElementType(Type type)
    {
        Type element = type.IsArray ? type.GetElementType()! : type;
        return Nullable.GetUnderlyingType(element) ?? element;
    }

    private static bool ParsesAs(string value, Type type) =>
        type == typeof(float) || type == typeof(double)
            ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) && (type == typeof(long) || number is >= int.MinValue and <= int.MaxValue);

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is not CommandResult commandResult)
            {
                continue;
            }

            foreach (Option option in commandResult.Command.Options.Where(o => ReferenceEquals(at, result) || o.Recursive))
            {
                yield return option.Name;
                foreach (string alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult commandResult)
            {
                names.Add(commandResult.Parent is null ? "pad" : commandResult.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
