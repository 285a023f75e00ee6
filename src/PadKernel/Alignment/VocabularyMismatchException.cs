namespace PadKernel.Alignment;

/// <summary>Thrown when a reward model's vocabulary differs from the base model's, so token-level rewards cannot be compared.</summary>
public sealed class VocabularyMismatchException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="VocabularyMismatchException"/> class.</summary>
    public VocabularyMismatchException(string baseModel, int baseVocabulary, string rewardModel, int rewardVocabulary)
        : base($"The reward model '{rewardModel}' has a vocabulary of {rewardVocabulary} tokens but the base model '{baseModel}' has {baseVocabulary}; " +
               "PAD compares token-level probabilities, so both models must share one tokenizer.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="VocabularyMismatchException"/> class with a message that names both sides.</summary>
    /// <param name="message">Which vocabularies differ and what to do about it.</param>
    public VocabularyMismatchException(string message)
        : base(message)
    {
    }
}
