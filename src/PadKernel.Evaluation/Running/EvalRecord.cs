using System.Text.Json.Serialization;

namespace PadKernel.Evaluation.Running;

/// <summary>One finished cell of an evaluation: a method's continuation of one prompt for one preference and seed, with every score.</summary>
public sealed class EvalRecord
{
    /// <summary>Gets the method key (<see cref="EvalMethod.Key"/>).</summary>
    public required string Method { get; init; }

    /// <summary>Gets the method kind.</summary>
    public required EvalMethodKind Kind { get; init; }

    /// <summary>Gets PAD's weight w (0 for baselines).</summary>
    public float Weight { get; init; }

    /// <summary>Gets PAD's candidate count k (0 for baselines).</summary>
    public int TopK { get; init; }

    /// <summary>Gets the prompt's index in the suite.</summary>
    public required int Prompt { get; init; }

    /// <summary>Gets the preference id.</summary>
    public required string Preference { get; init; }

    /// <summary>Gets the sample index (0 for greedy runs).</summary>
    public int Sample { get; init; }

    /// <summary>Gets the generated continuation.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the number of generated tokens.</summary>
    public required int Tokens { get; init; }

    /// <summary>Gets the decoding wall time in seconds (prefill included; scoring excluded).</summary>
    public required double Seconds { get; init; }

    /// <summary>Gets the forward calls the decoding made (each prefill and each batched step counts once).</summary>
    public required long ForwardCalls { get; init; }

    /// <summary>Gets the positions those calls computed (a step over base and reward contexts computes two).</summary>
    public required long Positions { get; init; }

    /// <summary>Gets the continuation's summed negative log-likelihood under the base model given the prompt alone.</summary>
    public required double Nll { get; init; }

    /// <summary>Gets the number of tokens <see cref="Nll"/> covers.</summary>
    public required int NllTokens { get; init; }

    /// <summary>
    /// Gets the adherence: the mean of the preference's judge scores, in [0, 1] — 0 when the run penalizes copying and
    /// <see cref="Copies"/> is above 0.
    /// </summary>
    public required double Adherence { get; init; }

    /// <summary>Gets how many verbatim preference 3-grams and meta phrases the continuation holds (<see cref="Judges.CopyDetector"/>).</summary>
    public int Copies { get; init; }

    /// <summary>Gets the continuation's summed negative log-likelihood under the run's fluency model reading the bare prompt, if it has one.</summary>
    public double? FluencyNll { get; init; }

    /// <summary>Gets the number of the fluency model's tokens <see cref="FluencyNll"/> covers.</summary>
    public int FluencyTokens { get; init; }

    /// <summary>Gets each judge's score by judge name.</summary>
    public required IReadOnlyDictionary<string, double> Judges { get; init; }

    /// <summary>Gets the judges' raw metrics, keyed <c>judge.metric</c>.</summary>
    public IReadOnlyDictionary<string, double> JudgeMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets distinct-1 of the continuation's words.</summary>
    public required double Distinct1 { get; init; }

    /// <summary>Gets distinct-2 of the continuation's words.</summary>
    public required double Distinct2 { get; init; }

    /// <summary>Gets the longest repeated word n-gram of the continuation.</summary>
    public required int LongestRepeat { get; init; }

    /// <summary>Gets the key that identifies the cell for resuming: method, prompt, preference and sample.</summary>
    [JsonIgnore]
    public string CellKey => EvalRunner.CellKey(Method, Prompt, Preference, Sample);
}
