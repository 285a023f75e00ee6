namespace PadKernel.Prompts;

/// <summary>
/// Llama-3: <c>&lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{text}&lt;|eot_id|&gt;</c> per message after
/// BOS (<c>&lt;|begin_of_text|&gt;</c>), then the assistant header.
/// </summary>
internal sealed class Llama3ChatTemplate : ChatTemplate
{
    public override string Name => "llama3";

    public override IReadOnlyList<string> EndOfTurnTokens => ["<|eot_id|>"];

    public override ChatPrompt Render(IReadOnlyList<PromptMessage> messages)
    {
        Conversation conversation = Conversation.From(messages);
        var prompt = new ChatPromptBuilder();
        if (conversation.System is not null)
        {
            Header(prompt, "system").Text(conversation.System).Control("<|eot_id|>");
        }

        foreach (PromptMessage turn in conversation.Turns)
        {
            Header(prompt, turn.Role == PromptRole.User ? "user" : "assistant").Text(turn.Text).Control("<|eot_id|>");
        }

        return Header(prompt, "assistant").Build();
    }

    private static ChatPromptBuilder Header(ChatPromptBuilder prompt, string role) =>
        prompt.Control("<|start_header_id|>").Text(role).Control("<|end_header_id|>").Text("\n\n");
}
