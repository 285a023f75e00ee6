using System.Text.Json;
using System.Text.Json.Nodes;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;
using PadKernel.Prompts;
using PadKernel.Tokenizers;

namespace PadKernel.OnnxRuntime.Prompts;

/// <summary>
/// Jinja chat templates of ONNX Runtime GenAI folders, rendered by GenAI's <c>ApplyChatTemplate</c> with the folder's
/// <c>bos_token</c>/<c>eos_token</c>: the folder's own <c>chat_template</c> (<see cref="OnnxModel.ChatTemplate"/>),
/// or any template string.
/// </summary>
public static class GenAIChatTemplates
{
    /// <summary>
    /// Renders a conversation with <paramref name="template"/>, or the folder's own <c>chat_template</c> when null.
    /// </summary>
    /// <param name="model">The model whose GenAI tokenizer renders (its <c>bos_token</c> and <c>eos_token</c>).</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="addGenerationPrompt">Whether to end with the assistant's turn header.</param>
    /// <param name="template">A template string, or null for the folder's.</param>
    /// <returns>The rendered prompt text (control-token strings included, as the template writes them).</returns>
    /// <exception cref="OnnxRuntimeException">The template is invalid or raised an error (GenAI's message).</exception>
    public static string Apply(OnnxModel model, IReadOnlyList<PromptMessage> messages, bool addGenerationPrompt, string? template = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        var json = new JsonArray();
        foreach (PromptMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message);
            json.Add(new JsonObject
            {
                ["role"] = message.Role.ToString().ToLowerInvariant(),
                ["content"] = message.Text,
            });
        }

        return model.GenAITokenizer.ApplyChatTemplate(template, json.ToJsonString(), addGenerationPrompt);
    }

    /// <summary>
    /// Creates a chat template from a Jinja template string (the format of <c>chat_template</c>), rendered by GenAI with
    /// this folder's <c>bos_token</c>/<c>eos_token</c> and split at the special tokens of this folder's tokenizer;
    /// for example to use a published template with a folder that lacks one
    /// (<c>PadChatClientOptions.ChatTemplate = GenAIChatTemplates.Create(model, template)</c>).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="template">The Jinja template.</param>
    /// <exception cref="NotSupportedException">The model's tokenizer is not the folder's <c>tokenizer.json</c>.</exception>
    /// <exception cref="PadKernelException">The template cannot render a one-message conversation.</exception>
    public static JinjaChatTemplate Create(OnnxModel model, string template)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(template);
        return model.Tokenizer is HuggingFaceTokenizer tokenizer
            ? Create(model, tokenizer, template)
            : throw new NotSupportedException("A Jinja chat template needs the folder's tokenizer.json to tell its control tokens from text; this model was loaded with a custom tokenizer.");
    }

    /// <summary>
    /// Gets the folder's own template, or null when the model is not a chat model, its tokenizer is a custom one (whose
    /// special tokens are unknown), or GenAI cannot render the template: the list form of <c>chat_template</c> (which
    /// GenAI cannot even load) or one that fails on a single user message. Such models keep the family templates.
    /// </summary>
    internal static JinjaChatTemplate? ForFolder(OnnxModel model)
    {
        if (!model.Info.IsChatModel || model.Tokenizer is not HuggingFaceTokenizer tokenizer)
        {
            return null;
        }

        try
        {
            return Create(model, tokenizer, null);
        }
        catch (PadKernelException)
        {
            return null;
        }
    }

    /// <summary>Gets a value indicating whether the folder's <c>tokenizer_config.json</c> has a <c>chat_template</c>.</summary>
    /// <exception cref="ModelFormatException">The file is not valid JSON.</exception>
    internal static bool FolderHasTemplate(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("chat_template", out JsonElement template) &&
                template.ValueKind is JsonValueKind.String or JsonValueKind.Array;
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(path, $"not valid JSON: {ex.Message}", ex);
        }
    }

    private static JinjaChatTemplate Create(OnnxModel model, HuggingFaceTokenizer tokenizer, string? template)
    {
        var controls = tokenizer.AddedTokens.Where(t => tokenizer.IsSpecialToken(t.Value)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        return new JinjaChatTemplate((messages, addGenerationPrompt) => Apply(model, messages, addGenerationPrompt, template), controls, model.Info.BosTokenId);
    }
}
