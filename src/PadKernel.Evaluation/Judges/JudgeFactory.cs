using Microsoft.Extensions.AI;
using PadKernel.Evaluation.Suites;

namespace PadKernel.Evaluation.Judges;

/// <summary>Creates judges from suite specs.</summary>
public sealed class JudgeFactory
{
    private readonly IChatClient? _chatClient;

    /// <summary>Initializes a new instance of the <see cref="JudgeFactory"/> class.</summary>
    /// <param name="chatClient">The grader for <c>chat</c> judges; without it a suite with a chat judge is refused.</param>
    /// <param name="gradeEveryPreference">Whether every preference also gets an LLM judge (<see cref="CreateGrader"/>) from <paramref name="chatClient"/>.</param>
    public JudgeFactory(IChatClient? chatClient = null, bool gradeEveryPreference = false)
    {
        if (gradeEveryPreference && chatClient is null)
        {
            throw new ArgumentException("Grading every preference needs a chat client.", nameof(chatClient));
        }

        _chatClient = chatClient;
        GradesEveryPreference = gradeEveryPreference;
    }

    /// <summary>
    /// Gets what grades with the chat client — its endpoint and model, and whether every preference is graded — or null
    /// without one; part of a run's fingerprint, so a resumed run never mixes scores of different graders.
    /// </summary>
    public string? Grader
    {
        get
        {
            if (_chatClient is null)
            {
                return null;
            }

            string grader = _chatClient.GetService<ChatClientMetadata>() is { } metadata ? $"{metadata.ProviderUri} {metadata.DefaultModelId}" : "chat client";
            return GradesEveryPreference ? grader + ", every preference" : grader;
        }
    }

    /// <summary>Gets a value indicating whether every preference also gets an LLM judge, named <c>llm(id)</c>.</summary>
    public bool GradesEveryPreference { get; }

    /// <summary>Creates the LLM judge every preference gets when <see cref="GradesEveryPreference"/> is set: the chat client grading the preference text itself.</summary>
    /// <param name="preferenceId">The preference's id, for the judge's name.</param>
    public IJudge CreateGrader(string preferenceId) =>
        new ChatClientJudge(
            _chatClient ?? throw new InvalidOperationException("This factory has no chat client to grade with."),
            new ChatClientJudgeOptions { Name = $"llm({preferenceId})" });

    /// <summary>Creates the judge a spec describes.</summary>
    /// <exception cref="EvalSuiteException">The spec is invalid, or names a chat judge and no chat client was given.</exception>
    public IJudge Create(JudgeSpec spec, string preferenceId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate(preferenceId);
        switch (spec.Type)
        {
            case "lexicon":
                return new LexiconJudge(spec.Words, spec.Score == "rate" ? LexiconScore.Rate : LexiconScore.Presence, spec.FullRate, $"lexicon({preferenceId})");
            case "length":
                LengthUnit unit = spec.Unit switch
                {
                    "tokens" => LengthUnit.Tokens,
                    "words" => LengthUnit.Words,
                    _ => LengthUnit.SentenceWords,
                };
                return new LengthJudge(unit, spec.Best, spec.Worst, $"length({preferenceId})");
            default:
                if (_chatClient is null)
                {
                    throw new EvalSuiteException($"Preference '{preferenceId}' has a chat judge, but no chat client was given to grade with.");
                }

                return new ChatClientJudge(_chatClient, new ChatClientJudgeOptions { Name = $"chat({preferenceId})", Criterion = spec.Criterion });
        }
    }
}
