namespace PadKernel.Prompts;

/// <summary>ChatML: <c>&lt;|im_start|&gt;{role}\n{text}&lt;|im_end|&gt;\n</c> per message, then <c>&lt;|im_start|&gt;assistant\n</c>.</summary>
internal sealed class ChatMLTemplate : ChatTemplate
{
    public override string Name => "chatml";

    public override IReadOnlyList<string> EndOfTurnTokens => ["<|im_end|>"];

    public override ChatPrompt Render(IReadOnlyList<PromptMessage> messages)
    {
        Conversation conversation = Conversation.From(messages);
        var prompt = new ChatPromptBuilder();
        if (conversation.System is not null)
        {
            Message(prompt, "system", conversation.System);
        }

        foreach (PromptMessage turn in conversation.Turns)
        {
            Message(prompt, turn.Role == PromptRole.User ? "user" : "assistant", turn.Text);
        }

        return prompt.Control("<|im_start|>").Text("assistant\n").Build();
    }

    private static void Message(ChatPromptBuilder prompt, string role, string text) =>
        prompt.Control("<|im_start|>").Text(role + "\n" + text).Control("<|im_end|>").Text("\n");
}
