namespace PadKernel.Prompts;

/// <summary>Who wrote a message of a conversation.</summary>
public enum PromptRole
{
    /// <summary>Instructions for the assistant (system prompt).</summary>
    System,

    /// <summary>The user.</summary>
    User,

    /// <summary>The assistant (the model's earlier turns).</summary>
    Assistant,
}

/// <summary>One message of a conversation, as plain text.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Text">The text. It is always encoded as plain text, never parsed for control tokens.</param>
public sealed record PromptMessage(PromptRole Role, string Text);
