namespace PadKernel.Alignment;

/// <summary>
/// Thrown when a reward model's vocabulary shares nothing with the base model's: no base token's text encodes to a token
/// the reward model knows, so token-level rewards cannot be compared (see <see cref="TokenMapping"/>).
/// </summary>
public sealed class VocabularyMismatchException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="VocabularyMismatchException"/> class.</summary>
    public VocabularyMismatchException(string baseModel, int baseVocabulary, string rewardModel, int rewardVocabulary)
        : base($"The reward model '{rewardModel}' has a vocabulary of {rewardVocabulary} tokens but the base model '{baseModel}' has {baseVocabulary}; " +
               "and no base token's text maps to a token the reward model knows; PAD compares token-level probabilities through that mapping.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="VocabularyMismatchException"/> class with a message that names both sides.</summary>
    /// <param name="message">Which vocabularies differ and what to do about it.</param>
    public VocabularyMismatchException(string message)
        : base(message)
    {
    }
}
