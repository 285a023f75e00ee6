namespace PadKernel.Evaluation.Suites;

/// <summary>A judge as a suite file describes it; <see cref="Judges.JudgeFactory"/> turns it into an <see cref="Judges.IJudge"/>.</summary>
public sealed class JudgeSpec
{
    /// <summary>Gets the judge type: <c>lexicon</c>, <c>length</c> or <c>chat</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the target words of a lexicon judge; a trailing <c>*</c> matches any ending (<c>smil*</c>).</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    /// <summary>Gets what a lexicon judge scores: <c>presence</c> (1 when any target word appears; the default) or <c>rate</c>.</summary>
    public string Score { get; init; } = "presence";

    /// <summary>Gets the rate (target words per 100 tokens) that a lexicon judge in <c>rate</c> mode scores as 1.</summary>
    public double FullRate { get; init; } = 5;

    /// <summary>Gets what a length judge measures: <c>tokens</c>, <c>words</c> or <c>sentence-words</c> (mean words per sentence).</summary>
    public string Unit { get; init; } = "words";

    /// <summary>Gets the length that a length judge scores as 1.</summary>
    public double Best { get; init; }

    /// <summary>Gets the length that a length judge scores as 0; the score is linear in between and clamped.</summary>
    public double Worst { get; init; }

    /// <summary>Gets an optional instruction for a chat judge, replacing the preference text in its grading prompt.</summary>
    public string? Criterion { get; init; }

    /// <summary>Throws <see cref="EvalSuiteException"/> when the spec cannot make a judge.</summary>
    public void Validate(string preferenceId)
    {
        switch (Type)
        {
            case "lexicon":
                if (Words is null || Words.Count == 0 || Words.Any(w => string.IsNullOrWhiteSpace(w.TrimEnd('*'))))
                {
                    throw new EvalSuiteException($"The lexicon judge of preference '{preferenceId}' needs non-empty target words.");
                }

                if (Score is not ("presence" or "rate"))
                {
                    throw new EvalSuiteException($"The lexicon judge of preference '{preferenceId}' has score '{Score}'; use 'presence' or 'rate'.");
                }

                if (!(FullRate > 0))
                {
                    throw new EvalSuiteException($"The lexicon judge of preference '{preferenceId}' needs fullRate > 0.");
                }

                break;
            case "length":
                if (Unit is not ("tokens" or "words" or "sentence-words"))
                {
                    throw new EvalSuiteException($"The length judge of preference '{preferenceId}' has unit '{Unit}'; use 'tokens', 'words' or 'sentence-words'.");
                }

                if (Best == Worst || !double.IsFinite(Best) || !double.IsFinite(Worst) || Best < 0 || Worst < 0)
                {
                    throw new EvalSuiteException($"The length judge of preference '{preferenceId}' needs two different non-negative lengths 'best' and 'worst'.");
                }

                break;
            case "chat":
                break;
            default:
                throw new EvalSuiteException($"Preference '{preferenceId}' has a judge of unknown type '{Type}'; use 'lexicon', 'length' or 'chat'.");
        }
    }
}
