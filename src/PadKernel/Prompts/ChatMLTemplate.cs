namespace PadKernel.Prompts;

/// <summary>ChatML: <c>&lt;|im_start|&gt;{role}\n{text}&lt;|im_end|&gt;\n</c> per message, then <c>&lt;|im_start|&gt;assistant\n</c>.</summary>
internal sealed class ChatMLTemplate : PerMessageChatTemplate
{
    public override string Name => "chatml";

    public override IReadOnlyList<string> EndOfTurnTokens => ["<|im_end|>"];

    protected override void AppendMessage(ChatPromptBuilder prompt, string role, string text) =>
        prompt.Control("<|im_start|>").Text(role + "\n" + text).Control("<|im_end|>").Text("\n");

    protected override void AppendAssistantOpening(ChatPromptBuilder prompt) =>
        prompt.Control("<|im_start|>").Text("assistant\n");
}
