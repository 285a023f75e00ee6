using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// ONNX Runtime GenAI's own greedy loop (<c>GenerateNextToken</c> alone, no PadKernel stage), with the search options
/// every PadKernel generator gets (<see cref="GreedySearch"/>): the reference that PadKernel's decoding is compared
/// with, token for token in tests and step for step in <c>pad bench</c>.
/// </summary>
public static class GenAIGreedyLoop
{
    /// <summary>Runs GenAI's greedy loop with <paramref name="rows"/> copies of <paramref name="prompt"/> in one generator.</summary>
    /// <param name="model">The model.</param>
    /// <param name="prompt">The prompt ids (BOS included if wanted).</param>
    /// <param name="maxNewTokens">How many tokens to generate at most.</param>
    /// <param name="rows">The generator's batch size.</param>
    /// <param name="ignoreEndOfSequence">Whether to keep going past end-of-sequence ids (GenAI's <c>min_length</c>).</param>
    /// <param name="onToken">Called after each step with row 0's token (for timing).</param>
    /// <returns>Row 0's generated ids (an end-of-sequence id included when GenAI stopped on it).</returns>
    public static IReadOnlyList<int> Generate(OnnxModel model, IReadOnlyList<int> prompt, int maxNewTokens, int rows = 1, bool ignoreEndOfSequence = false, Action<int>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return Generate(model, Enumerable.Repeat(prompt, rows).ToArray(), maxNewTokens, ignoreEndOfSequence, onToken);
    }

    /// <summary>
    /// Runs GenAI's greedy loop with one row per prompt in one generator (right-padded to the longest, as GenAI batches
    /// prompts of different lengths): the step-rate reference for PAD, whose base and reward contexts differ in length
    /// in the same way.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="prompts">One prompt per row (BOS included if wanted).</param>
    /// <param name="maxNewTokens">How many tokens to generate at most.</param>
    /// <param name="ignoreEndOfSequence">Whether to keep going past end-of-sequence ids (GenAI's <c>min_length</c>).</param>
    /// <param name="onToken">Called after each step with row 0's token (for timing).</param>
    /// <returns>Row 0's generated ids (an end-of-sequence id included when GenAI stopped on it).</returns>
    public static IReadOnlyList<int> Generate(OnnxModel model, IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, bool ignoreEndOfSequence = false, Action<int>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfZero(prompts.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        foreach (IReadOnlyList<int> prompt in prompts)
        {
            ArgumentNullException.ThrowIfNull(prompt);
            model.CheckTokens([.. prompt]);
        }

        int total = Math.Min(model.Info.ContextLength, prompts.Max(p => p.Count) + maxNewTokens);
        using OgaGenerator generator = model.CreateGenerator(prompts.Count, total, ignoreEndOfSequence ? total : 0);
        using (OgaSequences sequences = OgaSequences.Create(prompts))
        {
            generator.AppendTokenSequences(sequences);
        }

        var output = new List<int>(maxNewTokens);
        while (output.Count < maxNewTokens && !generator.IsDone)
        {
            generator.GenerateNextToken();
            int token = generator.GetNextTokens()[0];
            output.Add(token);
            onToken?.Invoke(token);
        }

        return output;
    }
}
