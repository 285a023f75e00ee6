namespace PadKernel.Prompts;

/// <summary>
/// Llama-3: <c>&lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{text}&lt;|eot_id|&gt;</c> per message after
/// BOS (<c>&lt;|begin_of_text|&gt;</c>), then the assistant header.
/// </summary>
internal sealed class Llama3ChatTemplate : PerMessageChatTemplate
{
    public override string Name => "llama3";

    public override IReadOnlyList<string> EndOfTurnTokens => ["<|eot_id|>"];

    protected override void AppendMessage(ChatPromptBuilder prompt, string role, string text) =>
        Header(prompt, role).Text(text).Control("<|eot_id|>");

    protected override void AppendAssistantOpening(ChatPromptBuilder prompt) => Header(prompt, "assistant");

    private static ChatPromptBuilder Header(ChatPromptBuilder prompt, string role) =>
        prompt.Control("<|start_header_id|>").Text(role).Control("<|end_header_id|>").Text("\n\n");
}
