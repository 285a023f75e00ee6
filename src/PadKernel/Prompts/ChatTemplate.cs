using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Prompts;

/// <summary>
/// Turns a conversation into a prompt in the format a model family was trained on, as segments of plain text and
/// named control tokens. Message text (user input, system instructions, preferences) only ever lands in text segments.
/// </summary>
public abstract class ChatTemplate
{
    /// <summary>Gets the raw template for models without a chat format (such as the story model).</summary>
    public static ChatTemplate Raw { get; } = new RawChatTemplate();

    /// <summary>Gets the ChatML template (<c>&lt;|im_start|&gt;role … &lt;|im_end|&gt;</c>; Qwen, many fine-tunes).</summary>
    public static ChatTemplate ChatML { get; } = new ChatMLTemplate();

    /// <summary>Gets the Llama-2 chat template (<c>[INST] &lt;&lt;SYS&gt;&gt; … [/INST]</c>).</summary>
    public static ChatTemplate Llama2 { get; } = new InstChatTemplate("llama2", systemBlock: true);

    /// <summary>Gets the Mistral instruct template (<c>[INST] … [/INST]</c>, system text before the first user message).</summary>
    public static ChatTemplate Mistral { get; } = new InstChatTemplate("mistral", systemBlock: false);

    /// <summary>Gets the Llama-3 template (<c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt; … &lt;|eot_id|&gt;</c>).</summary>
    public static ChatTemplate Llama3 { get; } = new Llama3ChatTemplate();

    /// <summary>Gets the Phi-3 template (<c>&lt;|user|&gt; … &lt;|end|&gt;</c>).</summary>
    public static ChatTemplate Phi3 { get; } = new RoleMarkerChatTemplate("phi3", "<|end|>");

    /// <summary>Gets the Zephyr template (<c>&lt;|user|&gt; … &lt;/s&gt;</c>).</summary>
    public static ChatTemplate Zephyr { get; } = new RoleMarkerChatTemplate("zephyr", "</s>");

    /// <summary>Gets every built-in template.</summary>
    public static IReadOnlyList<ChatTemplate> All { get; } = [Raw, ChatML, Llama2, Mistral, Llama3, Phi3, Zephyr];

    /// <summary>Gets the template's name (<c>raw</c>, <c>chatml</c>, <c>llama2</c>, <c>mistral</c>, <c>llama3</c>, <c>phi3</c>, <c>zephyr</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Gets the control tokens that end an assistant turn; generation stops at them like at EOS.</summary>
    public abstract IReadOnlyList<string> EndOfTurnTokens { get; }

    /// <summary>Renders the conversation followed by the opening of the assistant's turn.</summary>
    /// <exception cref="ArgumentException">The conversation has no user message.</exception>
    public abstract ChatPrompt Render(IReadOnlyList<PromptMessage> messages);

    /// <summary>Finds a built-in template by name (case-insensitive; <c>chat-ml</c>, <c>llama-2</c>, <c>zephyr/mistral</c> spellings accepted).</summary>
    /// <exception cref="ArgumentException">No template has that name.</exception>
    public static ChatTemplate FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string key = name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim();
        return All.FirstOrDefault(t => string.Equals(t.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown chat template '{name}'. Known: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
    }

    /// <summary>
    /// Chooses the template for a model: <see cref="Raw"/> when it is not a chat model, else the template the model
    /// brings (<see cref="ILanguageModel.ChatTemplate"/>) when it has one, otherwise a built-in template by the model's
    /// family and the control tokens its tokenizer knows.
    /// </summary>
    public static ChatTemplate ForModel(ILanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.Info.IsChatModel)
        {
            return Raw;
        }

        if (model.ChatTemplate is { } own)
        {
            return own;
        }

        ITokenizer tokenizer = model.Tokenizer;
        bool Has(string token) => tokenizer.TryGetSpecialTokenId(token, out _);
        string family = model.Info.Family;
        if (Has("<|eot_id|>") || family.StartsWith("llama3", StringComparison.OrdinalIgnoreCase))
        {
            return Llama3;
        }

        if (Has("<|im_start|>") || family.StartsWith("qwen", StringComparison.OrdinalIgnoreCase))
        {
            return ChatML;
        }

        if (Has("<|end|>") || family.StartsWith("phi3", StringComparison.OrdinalIgnoreCase))
        {
            return Phi3;
        }

        if (Has("[INST]") || family.StartsWith("mistral", StringComparison.OrdinalIgnoreCase))
        {
            return Mistral;
        }

        if (family.StartsWith("zephyr", StringComparison.OrdinalIgnoreCase))
        {
            return Zephyr;
        }

        return Llama2;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
