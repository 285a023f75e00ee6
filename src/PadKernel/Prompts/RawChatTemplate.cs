namespace PadKernel.Prompts;

/// <summary>
/// The template of models without a chat format: the prompt is the last user message, continued as text. System
/// text (instructions, and the preference of a self-contrast reward context) goes before it, separated by a blank
/// line: <c>system + "\n\n" + prompt</c>, exactly the text <see cref="Alignment.PadPrompts.SelfContrastText"/> builds.
/// Earlier turns are not rendered: a raw model continues one text, it does not hold a dialogue.
/// </summary>
internal sealed class RawChatTemplate : ChatTemplate
{
    public override string Name => "raw";

    public override IReadOnlyList<string> EndOfTurnTokens => [];

    public override ChatPrompt Render(IReadOnlyList<PromptMessage> messages)
    {
        Conversation conversation = Conversation.From(messages);
        string prompt = conversation.Turns.Last(t => t.Role == PromptRole.User).Text;
        string text = conversation.System is null ? prompt : Alignment.PadPrompts.SelfContrastText(conversation.System, prompt);
        return new ChatPromptBuilder().Text(text).Build();
    }
}
