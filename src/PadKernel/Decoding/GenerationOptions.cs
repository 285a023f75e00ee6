using PadKernel.Logits;

namespace PadKernel.Decoding;

/// <summary>The ordinary generation controls, shared by plain and PAD decoding.</summary>
public sealed class GenerationOptions
{
    /// <summary>Gets or sets the maximum number of tokens to generate. Default 256.</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>Gets or sets the sampling temperature; 0 (the default) is greedy decoding.</summary>
    public float Temperature { get; set; }

    /// <summary>Gets or sets how many of the most likely tokens plain sampling draws from; 0 means all. PAD always uses its own candidate set (<see cref="PadTopK"/>).</summary>
    public int TopK { get; set; }

    /// <summary>Gets or sets the nucleus mass for sampling (1 keeps every candidate).</summary>
    public float TopP { get; set; } = 1f;

    /// <summary>Gets or sets the repetition penalty applied to tokens already in the context (1 disables it).</summary>
    public float RepetitionPenalty { get; set; } = 1f;

    /// <summary>Gets or sets the seed for sampling; the same seed gives the same output.</summary>
    public int? Seed { get; set; }

    /// <summary>Gets or sets text that ends generation when it appears; the stop text itself is not returned.</summary>
    public IList<string> StopSequences { get; set; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether end-of-sequence tokens are generated as ordinary tokens instead of ending
    /// generation (for benchmarks that need an exact token count).
    /// </summary>
    public bool IgnoreEndOfSequence { get; set; }

    /// <summary>
    /// Gets or sets further token ids that end generation like EOS (for example a chat template's end-of-turn token such
    /// as <c>&lt;|im_end|&gt;</c> when the model's EOS list lacks it). They are not part of the output. Default none.
    /// </summary>
    public IList<int> StopTokenIds { get; set; } = [];

    /// <summary>Gets or sets the size of PAD's candidate set K: the top-k tokens of the base logits that the reward re-scores. Default 10.</summary>
    public int PadTopK { get; set; } = 10;

    /// <summary>Gets or sets a value indicating whether each step's <see cref="Alignment.PadStep"/> trace is recorded.</summary>
    public bool IncludeTrace { get; set; }

    /// <summary>
    /// Gets or sets the user's links of the logits pipeline (for example <see cref="LogitBias"/> or
    /// <see cref="MinPFilter"/>), in order. Each request creates its own processors from these factories; they run
    /// after the repetition penalty and before PAD's candidate set K is taken (or plain top-k, temperature, top-p and
    /// the selector), so they shape the base distribution that PAD re-ranks. Default none.
    /// </summary>
    public IList<ILogitsProcessorFactory> LogitsProcessors { get; set; } = [];

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 1, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(TopK, nameof(TopK));
        ArgumentOutOfRangeException.ThrowIfLessThan(PadTopK, 1, nameof(PadTopK));
        if (!(Temperature >= 0f) || float.IsInfinity(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be a finite number >= 0.");
        }

        if (!(TopP > 0f && TopP <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        }

        if (!(RepetitionPenalty > 0f) || float.IsInfinity(RepetitionPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "RepetitionPenalty must be a finite number > 0.");
        }

        ArgumentNullException.ThrowIfNull(StopTokenIds, nameof(StopTokenIds));
        ArgumentNullException.ThrowIfNull(LogitsProcessors, nameof(LogitsProcessors));
        if (LogitsProcessors.Contains(null!))
        {
            throw new ArgumentException("LogitsProcessors holds a null factory.", nameof(LogitsProcessors));
        }

        foreach (string stop in StopSequences)
        {
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentException("Stop sequences must be non-empty.", nameof(StopSequences));
            }
        }
    }
}
