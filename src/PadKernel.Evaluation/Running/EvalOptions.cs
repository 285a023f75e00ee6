namespace PadKernel.Evaluation.Running;

/// <summary>The grid and generation settings of an evaluation run.</summary>
public sealed class EvalOptions
{
    /// <summary>Gets or sets PAD's weights w. Default 0.5, 1, 2, 4, 8.</summary>
    public IList<float> Weights { get; set; } = [0.5f, 1f, 2f, 4f, 8f];

    /// <summary>Gets or sets PAD's candidate counts k. Default 10 and 20.</summary>
    public IList<int> TopKs { get; set; } = [10, 20];

    /// <summary>Gets or sets the maximum number of tokens per continuation. Default 64.</summary>
    public int MaxTokens { get; set; } = 64;

    /// <summary>Gets or sets the number of seeds per cell; more than 1 requires sampling (<see cref="Temperature"/> &gt; 0). Default 1.</summary>
    public int Samples { get; set; } = 1;

    /// <summary>Gets or sets the sampling temperature; 0 (the default) is greedy decoding.</summary>
    public float Temperature { get; set; }

    /// <summary>Gets or sets the first seed; sample i uses <c>Seed + i</c>. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets how many of the suite's prompts to use (the first ones); null uses all.</summary>
    public int? MaxPrompts { get; set; }

    /// <summary>
    /// Gets or sets how many of the used prompts (the first ones) form the dev split on which PAD's weight is chosen;
    /// the rest form the test split the held-out comparison reports on. Null: no split (the comparison then picks w on
    /// the same prompts it reports, and says so).
    /// </summary>
    public int? DevPrompts { get; set; }

    /// <summary>Gets or sets a value indicating whether to add prompting sampled from the same top-k as PAD (one method per k). Default true.</summary>
    public bool MatchedPrompting { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a continuation that copies the preference (a verbatim 3-gram of it) or
    /// writes meta-text ("the story", "main character", …) gets adherence 0 whatever its judges say. Default true.
    /// </summary>
    public bool PenalizeCopying { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Weights);
        ArgumentNullException.ThrowIfNull(TopKs);
        if (Weights.Count == 0 || Weights.Any(w => !float.IsFinite(w) || w < 0))
        {
            throw new ArgumentException("Weights must be one or more finite numbers >= 0.", nameof(Weights));
        }

        if (TopKs.Count == 0 || TopKs.Any(k => k < 1))
        {
            throw new ArgumentException("Top-k values must be one or more integers >= 1.", nameof(TopKs));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 1, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(Samples, 1, nameof(Samples));
        if (!(Temperature >= 0) || float.IsInfinity(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be a finite number >= 0.");
        }

        if (Samples > 1 && Temperature == 0)
        {
            throw new ArgumentException("Greedy decoding (temperature 0) gives the same text for every seed; set a temperature > 0 to take several samples.", nameof(Samples));
        }

        if (MaxPrompts is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPrompts), MaxPrompts, "MaxPrompts must be at least 1.");
        }

        if (DevPrompts is < 1 || (DevPrompts is int dev && MaxPrompts is int max && dev >= max))
        {
            throw new ArgumentOutOfRangeException(nameof(DevPrompts), DevPrompts, "DevPrompts must be at least 1 and leave at least one test prompt.");
        }
    }
}
