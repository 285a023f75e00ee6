using Microsoft.Extensions.AI;
using PadKernel.Models;
using PadKernel.Prompts;

namespace PadKernel.Server.Generation;

/// <summary>
/// Counts a conversation's prompt tokens before it runs, so over-long prompts are refused before they take a
/// generation slot. The model and chat template come from the chat client (<c>GetService</c>); with both, the count
/// is exactly the rendered prompt's; with only the model, it is the message text's; with neither, unknown.
/// </summary>
internal static class PromptTokenCounter
{
    /// <summary>Returns the prompt's token count and the model's context length, each null when unknown.</summary>
    public static (int? Tokens, int? ContextLength) Count(IChatClient chatClient, IReadOnlyList<ChatMessage> messages)
    {
        if (chatClient.GetService(typeof(ILanguageModel)) is not ILanguageModel model)
        {
            return (null, null);
        }

        if (chatClient.GetService(typeof(ChatTemplate)) is ChatTemplate template)
        {
            var prompt = new List<PromptMessage>(messages.Count);
            foreach (ChatMessage message in messages)
            {
                PromptRole role = message.Role == ChatRole.System ? PromptRole.System
                    : message.Role == ChatRole.Assistant ? PromptRole.Assistant
                    : PromptRole.User;
                prompt.Add(new PromptMessage(role, message.Text));
            }

            return (ChatRequestFactory.Encode(model, template, prompt).Count, model.Info.ContextLength);
        }

        var ids = new List<int>();
        foreach (ChatMessage message in messages)
        {
            model.Tokenizer.Encode(message.Text, ids);
        }

        return (ids.Count + (model.Info.BosTokenId >= 0 ? 1 : 0), model.Info.ContextLength);
    }
}
