using System.Text.Json;

namespace PadKernel.Evaluation.Suites;

/// <summary>Reads suites from JSON files (camelCase properties, comments and trailing commas allowed).</summary>
public static class EvalSuiteLoader
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and validates the suite in <paramref name="path"/>.</summary>
    /// <exception cref="EvalSuiteException">The file is missing, is not valid JSON, or describes an invalid suite.</exception>
    public static EvalSuite Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new EvalSuiteException($"The suite file '{path}' does not exist.");
        }

        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (EvalSuiteException e)
        {
            throw new EvalSuiteException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses and validates a suite from JSON text.</summary>
    /// <exception cref="EvalSuiteException">The text is not valid JSON or describes an invalid suite.</exception>
    public static EvalSuite Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        EvalSuite? suite;
        try
        {
            suite = JsonSerializer.Deserialize<EvalSuite>(json, s_options);
        }
        catch (JsonException e)
        {
            throw new EvalSuiteException($"The suite is not valid JSON: {e.Message}", e);
        }

        if (suite is null)
        {
            throw new EvalSuiteException("The suite file is empty.");
        }

        suite.Validate();
        return suite;
    }
}
