namespace PadKernel.Evaluation.Judges;

/// <summary>
/// Counts target words in the continuation: reports their rate per 100 model tokens and whether any appears, and scores
/// either presence (0 or 1) or the rate relative to a rate that counts as full adherence.
/// </summary>
public sealed class LexiconJudge : IJudge
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly string[] _prefixes;
    private readonly LexiconScore _score;
    private readonly double _fullRate;

    /// <summary>Initializes a new instance of the <see cref="LexiconJudge"/> class.</summary>
    /// <param name="words">The target words, matched whole and case-insensitively; a trailing <c>*</c> matches any ending.</param>
    /// <param name="score">What the score measures.</param>
    /// <param name="fullRate">For <see cref="LexiconScore.Rate"/>: the rate per 100 tokens that scores 1.</param>
    /// <param name="name">The judge's name; defaults to <c>lexicon(first word)</c>.</param>
    public LexiconJudge(IEnumerable<string> words, LexiconScore score = LexiconScore.Presence, double fullRate = 5, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fullRate);
        var prefixes = new List<string>();
        foreach (string word in words)
        {
            ArgumentNullException.ThrowIfNull(word);
            string w = word.Trim().ToLowerInvariant();
            if (w.EndsWith('*'))
            {
                prefixes.Add(w.TrimEnd('*'));
            }
            else
            {
                _exact.Add(w);
            }
        }

        _prefixes = [.. prefixes];
        if (_exact.Count == 0 && (_prefixes.Length == 0 || _prefixes.Any(p => p.Length == 0)))
        {
            throw new ArgumentException("A lexicon judge needs at least one non-empty target word.", nameof(words));
        }

        _score = score;
        _fullRate = fullRate;
        Name = name ?? $"lexicon({_exact.Concat(_prefixes).First()})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Counts the target words in <paramref name="text"/>.</summary>
    public int CountHits(string text)
    {
        int hits = 0;
        foreach (string word in TextUnits.Words(text))
        {
            if (_exact.Contains(word) || _prefixes.Any(p => word.StartsWith(p, StringComparison.Ordinal)))
            {
                hits++;
            }
        }

        return hits;
    }

    /// <inheritdoc />
    public ValueTask<JudgeScore> ScoreAsync(JudgeInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        int hits = CountHits(input.Continuation);
        double rate = input.TokenCount > 0 ? 100.0 * hits / input.TokenCount : 0;
        double presence = hits > 0 ? 1 : 0;
        double score = _score == LexiconScore.Presence ? presence : Math.Min(1, rate / _fullRate);
        var metrics = new Dictionary<string, double> { ["hits"] = hits, ["rate"] = rate, ["presence"] = presence };
        return ValueTask.FromResult(new JudgeScore(score, metrics));
    }
}

/// <summary>What a <see cref="LexiconJudge"/> scores.</summary>
public enum LexiconScore
{
    /// <summary>1 when any target word appears in the continuation, else 0.</summary>
    Presence,

    /// <summary>Target words per 100 tokens divided by the full rate, capped at 1.</summary>
    Rate,
}
