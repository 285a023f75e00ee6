using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PadKernel.Cli.Commands;

/// <summary>
/// Range rules on options, checked while parsing, so a bad value is refused before a model loads, with the option's
/// name and the rule in plain words (the core's own checks name .NET properties, which a CLI user never typed).
/// </summary>
internal static class OptionRules
{
    /// <summary>Refuses a value of <paramref name="option"/> (each value, for a repeated option) for which <paramref name="valid"/> is false.</summary>
    public static Option<T> Require<T>(this Option<T> option, Func<T, bool> valid, string rule)
    {
        option.Validators.Add(result => Check(result, option.Name, (T value) => valid(value), rule));
        return option;
    }

    /// <summary>Refuses any value of a repeated option for which <paramref name="valid"/> is false.</summary>
    public static Option<T[]> RequireEach<T>(this Option<T[]> option, Func<T, bool> valid, string rule)
    {
        option.Validators.Add(result => Check(result, option.Name, (T[] values) => values.All(valid), rule));
        return option;
    }

    public static bool Finite(float value) => float.IsFinite(value);

    private static void Check<T>(OptionResult result, string name, Func<T, bool> valid, string rule)
    {
        // The default value is always valid.
        if (result.Implicit || result.Tokens.Count == 0)
        {
            return;
        }

        T value;
        try
        {
            value = result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            // Not a value of the option's type: the parser reports that itself (ParseErrorReport words it).
            return;
        }

        if (!valid(value))
        {
            string given = string.Join(", ", result.Tokens.Select(t => t.Value));
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} {rule} (got {given})."));
        }
    }
}
