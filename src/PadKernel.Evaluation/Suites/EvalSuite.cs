namespace PadKernel.Evaluation.Suites;

/// <summary>An evaluation suite: prompts to continue, crossed with preferences to steer toward, each scored by its judges.</summary>
public sealed class EvalSuite
{
    /// <summary>Gets the suite's name, shown in reports.</summary>
    public required string Name { get; init; }

    /// <summary>Gets an optional description of the suite.</summary>
    public string Description { get; init; } = "";

    /// <summary>Gets the prompts (raw text the model continues).</summary>
    public required IReadOnlyList<string> Prompts { get; init; }

    /// <summary>Gets the preferences, each with at least one judge.</summary>
    public required IReadOnlyList<SuitePreference> Preferences { get; init; }

    /// <summary>Throws <see cref="EvalSuiteException"/> when the suite is empty or inconsistent.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new EvalSuiteException("The suite needs a name.");
        }

        if (Prompts is null || Prompts.Count == 0 || Prompts.Any(string.IsNullOrWhiteSpace))
        {
            throw new EvalSuiteException($"Suite '{Name}' needs at least one prompt, and no prompt may be empty.");
        }

        if (Preferences is null || Preferences.Count == 0)
        {
            throw new EvalSuiteException($"Suite '{Name}' needs at least one preference.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (SuitePreference preference in Preferences)
        {
            if (preference is null || string.IsNullOrWhiteSpace(preference.Id) || string.IsNullOrWhiteSpace(preference.Text))
            {
                throw new EvalSuiteException($"Every preference of suite '{Name}' needs an id and a text.");
            }

            if (!ids.Add(preference.Id))
            {
                throw new EvalSuiteException($"Suite '{Name}' has two preferences with the id '{preference.Id}'.");
            }

            if (preference.Judges is null || preference.Judges.Count == 0)
            {
                throw new EvalSuiteException($"Preference '{preference.Id}' has no judge.");
            }

            foreach (JudgeSpec judge in preference.Judges)
            {
                judge.Validate(preference.Id);
            }
        }
    }
}
