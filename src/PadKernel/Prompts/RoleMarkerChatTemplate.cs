namespace PadKernel.Prompts;

/// <summary>
/// The role-marker family: <c>&lt;|system|&gt;\n{text}{end}\n&lt;|user|&gt;\n{text}{end}\n&lt;|assistant|&gt;\n</c>.
/// Phi-3 ends a turn with <c>&lt;|end|&gt;</c>, Zephyr with <c>&lt;/s&gt;</c>. The role markers are control tokens in
/// Phi-3 and plain text in Zephyr, so they resolve as control tokens only where the tokenizer has them.
/// </summary>
internal sealed class RoleMarkerChatTemplate(string name, string endOfTurn) : PerMessageChatTemplate
{
    public override string Name => name;

    public override IReadOnlyList<string> EndOfTurnTokens => [endOfTurn];

    protected override void AppendMessage(ChatPromptBuilder prompt, string role, string text) =>
        prompt.ControlOrText("<|" + role + "|>").Text("\n" + text).Control(endOfTurn).Text("\n");

    protected override void AppendAssistantOpening(ChatPromptBuilder prompt) =>
        prompt.ControlOrText("<|assistant|>").Text("\n");
}
