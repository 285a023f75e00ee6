using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;

namespace PadKernel.Prompts;

/// <summary>
/// Builds PAD's base and reward contexts for a conversation rendered with a chat template — the chat counterpart of
/// <see cref="PadPrompts.CreateRawRequest"/>, and identical to it for the <see cref="ChatTemplate.Raw"/> template.
/// </summary>
/// <remarks>
/// Self-contrast: the base context is the conversation as given; each preference's reward context is the same
/// conversation with the preference as a system-style instruction placed before any existing system text
/// (<c>preference + "\n\n" + system</c>). Reward-model mode: the last user message is replaced by the paper's
/// guideline text (<see cref="PadPrompts.GuidelineText"/>) in both contexts — all preferences in the base context, one
/// per reward context — and the reward contexts are rendered with the reward model's template. With
/// <see cref="RewardReference.PerPreference"/> each reward also gets a reference context: the base model's context
/// built the same way with its preference alone. A raw (non-chat)
/// template instead puts the preferences before the prompt as prompting does (<c>preferences + "\n\n" + prompt</c>):
/// a completion model cannot follow the guideline's instructions, and the project's story PersRM is trained on this
/// format (tools/persrm).
/// </remarks>
public static class ChatRequestFactory
{
    /// <summary>Creates the decode request for a conversation.</summary>
    /// <param name="model">The base model.</param>
    /// <param name="template">The base model's chat template.</param>
    /// <param name="messages">The conversation; it needs at least one user message.</param>
    /// <param name="preferences">The preferences with their weights; empty for plain decoding.</param>
    /// <param name="options">Generation options.</param>
    /// <param name="mode">Where the reward comes from.</param>
    /// <param name="rewardModel">The personalized reward model; required for <see cref="RewardMode.RewardModel"/>.</param>
    /// <param name="rewardTemplate">The reward model's chat template; chosen with <see cref="ChatTemplate.ForModel"/> when null.</param>
    /// <param name="reference">
    /// Reward-model mode: what each reward is measured against — the base context with every preference joined (the
    /// default), or the base model reading that preference alone (one extra batched row per preference when there are
    /// several). Self-contrast ignores it: its reference is the base context without preferences.
    /// </param>
    /// <exception cref="ArgumentException">No user message, an invalid preference, or reward-model mode without a reward model.</exception>
    /// <exception cref="PadKernelException">The template needs a control token the tokenizer does not have.</exception>
    public static DecodeRequest Create(
        ILanguageModel model,
        ChatTemplate template,
        IReadOnlyList<PromptMessage> messages,
        IReadOnlyList<Preference> preferences,
        GenerationOptions options,
        RewardMode mode = RewardMode.SelfContrast,
        ILanguageModel? rewardModel = null,
        ChatTemplate? rewardTemplate = null,
        RewardReference reference = RewardReference.Joined)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(preferences);
        ArgumentNullException.ThrowIfNull(options);
        foreach (Preference preference in preferences)
        {
            ArgumentNullException.ThrowIfNull(preference);
            preference.Validate();
        }

        if (mode == RewardMode.SelfContrast)
        {
            return new DecodeRequest
            {
                Model = model,
                Context = Encode(model, template, messages),
                Rewards = preferences.Select(p => new RewardContext(model, Encode(model, template, WithInstruction(messages, p.Text)), p.Weight, p.Text)).ToArray(),
                Options = options,
            };
        }

        if (rewardModel is null)
        {
            throw new ArgumentException("The reward-model mode needs a personalized reward model; register one or use self-contrast.", nameof(rewardModel));
        }

        rewardTemplate ??= ChatTemplate.ForModel(rewardModel);
        IReadOnlyList<PromptMessage> baseMessages = preferences.Count == 0 ? messages : WithPreferences(template, messages, preferences.Select(p => p.Text));
        return new DecodeRequest
        {
            Model = model,
            Context = Encode(model, template, baseMessages),
            Rewards = preferences.Select(p => new RewardContext(rewardModel, Encode(rewardModel, rewardTemplate, WithPreferences(rewardTemplate, messages, [p.Text])), p.Weight, p.Text)
            {
                ReferenceContext = reference == RewardReference.PerPreference ? Encode(model, template, WithPreferences(template, messages, [p.Text])) : null,
            }).ToArray(),
            Options = options,
        };
    }

    /// <summary>The reward-model mode's context: the guideline for chat templates, the preferences before the prompt for raw models.</summary>
    private static IReadOnlyList<PromptMessage> WithPreferences(ChatTemplate template, IReadOnlyList<PromptMessage> messages, IEnumerable<string> preferences) =>
        template == ChatTemplate.Raw ? WithInstruction(messages, string.Join(' ', preferences)) : WithGuideline(messages, preferences);

    /// <summary>Renders and encodes a conversation for a model (BOS first when the model has one).</summary>
    public static List<int> Encode(ILanguageModel model, ChatTemplate template, IReadOnlyList<PromptMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(template);
        return template.Render(messages).Encode(model.Tokenizer, model.Info.BosTokenId);
    }

    /// <summary>Returns the conversation with <paramref name="instruction"/> as its first system text.</summary>
    public static IReadOnlyList<PromptMessage> WithInstruction(IReadOnlyList<PromptMessage> messages, string instruction)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return [new PromptMessage(PromptRole.System, instruction), .. messages];
    }

    /// <summary>Returns the conversation with its last user message wrapped in the guideline text of <paramref name="preferences"/>.</summary>
    public static IReadOnlyList<PromptMessage> WithGuideline(IReadOnlyList<PromptMessage> messages, IEnumerable<string> preferences)
    {
        ArgumentNullException.ThrowIfNull(messages);
        int last = -1;
        for (int i = messages.Count - 1; i >= 0 && last < 0; i--)
        {
            if (messages[i].Role == PromptRole.User)
            {
                last = i;
            }
        }

        if (last < 0)
        {
            throw new ArgumentException("The conversation needs at least one user message.", nameof(messages));
        }

        var result = messages.ToArray();
        result[last] = result[last] with { Text = PadPrompts.GuidelineText(preferences, result[last].Text) };
        return result;
    }
}
