namespace PadKernel.Prompts;

/// <summary>
/// The <c>[INST]</c> family. Llama-2: <c>&lt;s&gt;[INST] &lt;&lt;SYS&gt;&gt;\n{system}\n&lt;&lt;/SYS&gt;&gt;\n\n{user} [/INST] {answer} &lt;/s&gt;&lt;s&gt;[INST] …</c>;
/// Mistral: <c>&lt;s&gt;[INST] {system}\n\n{user} [/INST] {answer}&lt;/s&gt;[INST] …</c>. The first BOS comes from the
/// encoder; <c>[INST]</c>/<c>[/INST]</c> are control tokens where the tokenizer has them (Mistral v3) and text otherwise (Llama-2).
/// </summary>
internal sealed class InstChatTemplate(string name, bool systemBlock) : ChatTemplate
{
    public override string Name => name;

    public override IReadOnlyList<string> EndOfTurnTokens => ["</s>"];

    public override ChatPrompt Render(IReadOnlyList<PromptMessage> messages)
    {
        Conversation conversation = Conversation.From(messages);
        var prompt = new ChatPromptBuilder();
        string? system = conversation.System;
        bool first = true;
        foreach (PromptMessage turn in conversation.Turns)
        {
            if (turn.Role == PromptRole.User)
            {
                if (!first && systemBlock)
                {
                    prompt.Control("<s>");
                }

                string text = turn.Text;
                if (system is not null)
                {
                    text = systemBlock ? "<<SYS>>\n" + system + "\n<</SYS>>\n\n" + text : system + "\n\n" + text;
                    system = null;
                }

                prompt.ControlOrText("[INST]").Text(" " + text + " ").ControlOrText("[/INST]");
            }
            else
            {
                prompt.Text(" " + turn.Text + (systemBlock ? " " : "")).Control("</s>");
            }

            first = false;
        }

        return prompt.Build();
    }
}
