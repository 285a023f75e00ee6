using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// The one place where GenAI search options are set, for every generator PadKernel creates: PadKernel's own rows
/// (<see cref="GeneratorGroup"/>) and GenAI's reference loop (<see cref="GenAIGreedyLoop"/>). Plain greedy search,
/// whatever the folder's <c>search</c> section says: a folder's repetition penalty, n-gram ban, beams or sampling
/// would change GenAI's loop (and make it diverge from PadKernel's decoding at w = 0) or turn a forced token into
/// something else. PadKernel applies its own repetition penalty and sampling in its logits stage.
/// </summary>
internal static class GreedySearch
{
    /// <summary>Creates the parameters of a greedy generator.</summary>
    /// <param name="model">The native model.</param>
    /// <param name="rows">The batch size.</param>
    /// <param name="maxLength">The longest a row may grow (prompt included).</param>
    /// <param name="minLength">GenAI's <c>min_length</c>: end-of-sequence ids are banned below it (the reference loop's way to ignore them).</param>
    public static OgaGeneratorParams CreateParameters(OgaModel model, int rows, int maxLength, int minLength = 0)
    {
        OgaGeneratorParams parameters = OgaGeneratorParams.Create(model);
        try
        {
            parameters.SetSearchOption("batch_size", rows);
            parameters.SetSearchOption("max_length", maxLength);
            parameters.SetSearchOption("min_length", minLength);
            parameters.SetSearchOption("do_sample", false);
            parameters.SetSearchOption("num_beams", 1);
            parameters.SetSearchOption("num_return_sequences", 1);
            parameters.SetSearchOption("repetition_penalty", 1);
            parameters.SetSearchOption("no_repeat_ngram_size", 0);
            return parameters;
        }
        catch
        {
            parameters.Dispose();
            throw;
        }
    }

    /// <summary>Creates a greedy generator (see <see cref="CreateParameters"/>).</summary>
    public static OgaGenerator CreateGenerator(OgaModel model, int rows, int maxLength, int minLength = 0)
    {
        using OgaGeneratorParams parameters = CreateParameters(model, rows, maxLength, minLength);
        return OgaGenerator.Create(model, parameters);
    }
}
