namespace PadKernel.Evaluation.Judges;

/// <summary>
/// Scores a length linearly between a best value (score 1) and a worst value (score 0), clamped: with best below
/// worst it rewards brevity ("be concise", "short sentences"), with best above worst it rewards detail.
/// </summary>
public sealed class LengthJudge : IJudge
{
    private readonly LengthUnit _unit;
    private readonly double _best;
    private readonly double _worst;

    /// <summary>Initializes a new instance of the <see cref="LengthJudge"/> class.</summary>
    /// <param name="unit">What is measured.</param>
    /// <param name="best">The length that scores 1.</param>
    /// <param name="worst">The length that scores 0; must differ from <paramref name="best"/>.</param>
    /// <param name="name">The judge's name; defaults to <c>length(unit)</c>.</param>
    public LengthJudge(LengthUnit unit, double best, double worst, string? name = null)
    {
        if (best == worst || !double.IsFinite(best) || !double.IsFinite(worst))
        {
            throw new ArgumentException("A length judge needs two different finite lengths.", nameof(worst));
        }

        _unit = unit;
        _best = best;
        _worst = worst;
        Name = name ?? $"length({unit.ToString().ToLowerInvariant()})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Measures <paramref name="input"/> in this judge's unit.</summary>
    public double Measure(JudgeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        switch (_unit)
        {
            case LengthUnit.Tokens:
                return input.TokenCount;
            case LengthUnit.Words:
                return TextUnits.Words(input.Continuation).Count;
            default:
                IReadOnlyList<int> sentences = TextUnits.SentenceLengths(input.Continuation);
                return sentences.Count == 0 ? 0 : sentences.Average();
        }
    }

    /// <inheritdoc />
    public ValueTask<JudgeScore> ScoreAsync(JudgeInput input, CancellationToken cancellationToken = default)
    {
        double length = Measure(input);

        // Empty text has no sentences to be short: it does not count as adherence.
        double score = length == 0 && _unit == LengthUnit.SentenceWords ? 0 : Math.Clamp((length - _worst) / (_best - _worst), 0, 1);
        return ValueTask.FromResult(new JudgeScore(score, new Dictionary<string, double> { ["length"] = length }));
    }
}

/// <summary>What a <see cref="LengthJudge"/> measures.</summary>
public enum LengthUnit
{
    /// <summary>Model tokens in the continuation.</summary>
    Tokens,

    /// <summary>Words in the continuation.</summary>
    Words,

    /// <summary>The mean number of words per sentence.</summary>
    SentenceWords,
}
