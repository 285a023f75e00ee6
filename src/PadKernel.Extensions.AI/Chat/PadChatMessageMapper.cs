using Microsoft.Extensions.AI;
using PadKernel.Prompts;

namespace PadKernel.Extensions.AI;

/// <summary>
/// Turns a Microsoft.Extensions.AI conversation into the core's prompt messages, as <see cref="PadChatClient"/> renders
/// it; other front ends (the HTTP server counting prompt tokens) use it so they count exactly what will be decoded.
/// </summary>
public static class PadChatMessageMapper
{
    /// <summary>
    /// Maps the conversation: <paramref name="instructions"/> first as a system message, then each message by role
    /// (system, assistant, otherwise user). Messages without text other than user messages (function calls and results)
    /// are left out: the chat templates have no tool turns to render them in.
    /// </summary>
    /// <exception cref="ArgumentException">The conversation has no user message, or holds a null message.</exception>
    public static List<PromptMessage> ToPromptMessages(IEnumerable<ChatMessage> messages, string? instructions = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = new List<PromptMessage>();
        if (!string.IsNullOrEmpty(instructions))
        {
            prompt.Add(new PromptMessage(PromptRole.System, instructions));
        }

        foreach (ChatMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            string text = message.Text;
            if (text.Length == 0 && message.Role != ChatRole.User)
            {
                continue;
            }

            PromptRole role = message.Role == ChatRole.System ? PromptRole.System
                : message.Role == ChatRole.Assistant ? PromptRole.Assistant
                : PromptRole.User;
            prompt.Add(new PromptMessage(role, text));
        }

        if (!prompt.Any(m => m.Role == PromptRole.User))
        {
            throw new ArgumentException("The conversation needs at least one user message.", nameof(messages));
        }

        return prompt;
    }
}
