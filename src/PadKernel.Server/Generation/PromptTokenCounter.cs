using Microsoft.Extensions.AI;
using PadKernel.Models;

namespace PadKernel.Server.Generation;

/// <summary>
/// Counts a conversation's tokens with the served model's tokenizer (reached through
/// <c>IChatClient.GetService(typeof(ILanguageModel))</c>), so over-long prompts are refused before they take a
/// generation slot. The count covers the message text, not the chat template's few control tokens.
/// </summary>
internal sealed class PromptTokenCounter(IChatClient chatClient)
{
    private readonly Lazy<ILanguageModel?> _model = new(() => chatClient.GetService(typeof(ILanguageModel)) as ILanguageModel);

    /// <summary>Gets the model's context length, or null when the chat client exposes no model.</summary>
    public int? ContextLength => _model.Value?.Info.ContextLength;

    /// <summary>Returns the number of tokens, or null when the chat client exposes no model.</summary>
    public int? Count(IReadOnlyList<ChatMessage> messages)
    {
        ILanguageModel? model = _model.Value;
        if (model is null)
        {
            return null;
        }

        var ids = new List<int>();
        foreach (ChatMessage message in messages)
        {
            model.Tokenizer.Encode(message.Text, ids);
        }

        return ids.Count + (model.Info.BosTokenId >= 0 ? 1 : 0);
    }
}
