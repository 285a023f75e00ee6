namespace PadKernel.Models;

/// <summary>How the decoder will read a sequence's next-token logits; see <see cref="ILanguageModel.CreateSequence(LogitsAccess)"/>.</summary>
public enum LogitsAccess
{
    /// <summary>The whole row, through <see cref="IModelSequence.Logits"/> (the base context).</summary>
    Full,

    /// <summary>
    /// A few ids per step, through <see cref="IModelSequence.GatherLogits"/> (PAD's reward contexts read only the K
    /// candidates). A runtime may then compute just the requested rows of its output projection.
    /// </summary>
    Gathered,
}
