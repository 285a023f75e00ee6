using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using PadKernel.Extensions.AI;
using PadKernel.Models;
using PadKernel.Prompts;
using PadKernel.Server.Configuration;
using PadKernel.Server.Errors;

namespace PadKernel.Server.Generation;

/// <summary>
/// Holds prompts to <see cref="PadServerLimits.MaxPromptTokens"/> and the model's context length, in two steps:
/// <see cref="Precheck"/> renders the prompt and refuses it when its length alone proves it too long, before any
/// tokenizing and before it waits for a generation slot; <see cref="Count"/>, run inside the slot, tokenizes it,
/// cancellably, for the exact count. The model and chat template come from the chat client (<c>GetService</c>): with
/// both, the count is exactly the rendered prompt's; with only the model, it is the message text's; with neither,
/// unknown.
/// </summary>
internal sealed class PromptTokenCounter(IOptions<PadServerOptions> options)
{
    private readonly int _maxPromptTokens = options.Value.Limits.MaxPromptTokens;

    /// <summary>
    /// Renders the conversation and refuses it (400, <c>context_length_exceeded</c>) when it holds too many bytes of
    /// text to fit in the limits. Returns null when the chat client has no model to count with.
    /// </summary>
    public RenderedPrompt? Precheck(IChatClient chatClient, IReadOnlyList<ChatMessage> messages)
    {
        if (chatClient.GetService(typeof(ILanguageModel)) is not ILanguageModel model)
        {
            return null;
        }

        var prompt = new RenderedPrompt(model, Render(chatClient.GetService(typeof(ChatTemplate)) as ChatTemplate, messages));
        long bytes = 0;
        long tokens = model.Info.BosTokenId >= 0 ? 1 : 0;
        foreach (ChatPrompt part in prompt.Parts)
        {
            foreach (PromptSegment segment in part.Segments)
            {
                // A control segment is one token (or, as text, at least one).
                if (segment.Kind == PromptSegmentKind.Text)
                {
                    bytes += Encoding.UTF8.GetByteCount(segment.Value);
                }
                else
                {
                    tokens++;
                }
            }
        }

        tokens += TokenCountBound.MinimumTokens(model.Tokenizer, bytes);
        CheckLimits(tokens, model, $"at least {tokens} tokens ({bytes} bytes of text)");
        return prompt;
    }

    /// <summary>Tokenizes the prompt and returns its exact token count; refuses it (400) when over the limits.</summary>
    public int Count(RenderedPrompt prompt, CancellationToken cancellationToken)
    {
        ILanguageModel model = prompt.Model;
        int tokens = model.Info.BosTokenId >= 0 ? 1 : 0;
        foreach (ChatPrompt part in prompt.Parts)
        {
            tokens += part.Encode(model.Tokenizer, bosTokenId: -1, cancellationToken).Count;
        }

        CheckLimits(tokens, model, $"{tokens} tokens");
        return tokens;
    }

    private static List<ChatPrompt> Render(ChatTemplate? template, IReadOnlyList<ChatMessage> messages)
    {
        if (template is null)
        {
            // No template: each message's text is encoded on its own.
            return messages.Select(m => new ChatPrompt([PromptSegment.Text(m.Text)])).ToList();
        }

        return [template.Render(PadChatMessageMapper.ToPromptMessages(messages))];
    }

    private void CheckLimits(long tokens, ILanguageModel model, string holds)
    {
        // The tighter of the two limits is the one to name.
        int contextLength = model.Info.ContextLength;
        if (contextLength <= _maxPromptTokens ? tokens >= contextLength : tokens > _maxPromptTokens)
        {
            string limit = contextLength <= _maxPromptTokens
                ? $"the model's context length is {contextLength} tokens, the answer included"
                : $"this server accepts at most {_maxPromptTokens} prompt tokens";
            throw ApiException.InvalidRequest($"The messages hold {holds}; {limit}.", "messages", "context_length_exceeded");
        }
    }
}

/// <summary>A conversation rendered for counting, in the parts that are tokenized separately.</summary>
/// <param name="Model">The model whose tokenizer counts.</param>
/// <param name="Parts">The rendered prompt, or one part per message when the chat client has no template.</param>
internal sealed record RenderedPrompt(ILanguageModel Model, IReadOnlyList<ChatPrompt> Parts);
