namespace PadKernel.Prompts;

/// <summary>
/// The shape most chat formats share: the system text as a first message when there is one, then every turn as a
/// message with its role's name (<c>system</c>, <c>user</c>, <c>assistant</c>), then the opening of the assistant's turn.
/// </summary>
internal abstract class PerMessageChatTemplate : ChatTemplate
{
    public sealed override ChatPrompt Render(IReadOnlyList<PromptMessage> messages)
    {
        Conversation conversation = Conversation.From(messages);
        var prompt = new ChatPromptBuilder();
        if (conversation.System is not null)
        {
            AppendMessage(prompt, "system", conversation.System);
        }

        foreach (PromptMessage turn in conversation.Turns)
        {
            AppendMessage(prompt, turn.Role == PromptRole.User ? "user" : "assistant", turn.Text);
        }

        AppendAssistantOpening(prompt);
        return prompt.Build();
    }

    /// <summary>Appends one whole message.</summary>
    protected abstract void AppendMessage(ChatPromptBuilder prompt, string role, string text);

    /// <summary>Appends what precedes the assistant's answer.</summary>
    protected abstract void AppendAssistantOpening(ChatPromptBuilder prompt);
}
