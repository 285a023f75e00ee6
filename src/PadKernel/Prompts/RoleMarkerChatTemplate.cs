namespace PadKernel.Prompts;

/// <summary>
/// The role-marker family: <c>&lt;|system|&gt;\n{text}{end}\n&lt;|user|&gt;\n{text}{end}\n&lt;|assistant|&gt;\n</c>.
/// Phi-3 ends a turn with <c>&lt;|end|&gt;</c>, Zephyr with <c>&lt;/s&gt;</c>. The role markers are control tokens in
/// Phi-3 and plain text in Zephyr, so they resolve as control tokens only where the tokenizer has them.
/// </summary>
internal sealed class RoleMarkerChatTemplate(string name, string endOfTurn) : ChatTemplate
{
    public override string Name => name;

    public override IReadOnlyList<string> EndOfTurnTokens => [endOfTurn];

    public override ChatPrompt Render(IReadOnlyList<PromptMessage> messages)
    {
        Conversation conversation = Conversation.From(messages);
        var prompt = new ChatPromptBuilder();
        if (conversation.System is not null)
        {
            Message(prompt, "<|system|>", conversation.System);
        }

        foreach (PromptMessage turn in conversation.Turns)
        {
            Message(prompt, turn.Role == PromptRole.User ? "<|user|>" : "<|assistant|>", turn.Text);
        }

        return prompt.ControlOrText("<|assistant|>").Text("\n").Build();
    }

    private void Message(ChatPromptBuilder prompt, string marker, string text) =>
        prompt.ControlOrText(marker).Text("\n" + text).Control(endOfTurn).Text("\n");
}
