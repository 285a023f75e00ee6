using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Prompts;
using PadKernel.Text;

namespace PadKernel.Alignment;

/// <summary>Builds PAD's base and reward contexts for a raw (non-chat) prompt.</summary>
public static class PadPrompts
{
    /// <summary>Joins a preference and a prompt into the self-contrast reward text of a raw model: <c>preference + "\n\n" + prompt</c>.</summary>
    public static string SelfContrastText(string preference, string prompt) => preference + "\n\n" + prompt;

    /// <summary>The paper's guideline template used by the personalized-reward-model mode, in both contexts.</summary>
    public static string GuidelineText(IEnumerable<string> preferences, string instruction) =>
        "[Guidelines] Your task is to generate response by considering the following principle. [Principles] " +
        string.Join(" and ", preferences) + " [Instruction] " + instruction;

    /// <summary>Creates a decode request for a raw prompt continued by <paramref name="model"/>, steered by <paramref name="preferences"/>.</summary>
    /// <param name="model">The base model.</param>
    /// <param name="prompt">The text to continue.</param>
    /// <param name="preferences">The preferences, each with its weight; empty for plain decoding.</param>
    /// <param name="options">Generation options.</param>
    /// <param name="mode">Where the reward comes from.</param>
    /// <param name="rewardModel">The personalized reward model; required for <see cref="RewardMode.RewardModel"/>.</param>
    /// <param name="reference">Reward-model mode with several preferences: what each reward is measured against (<see cref="RewardReference"/>).</param>
    public static DecodeRequest CreateRawRequest(
        ILanguageModel model,
        string prompt,
        IReadOnlyList<Preference> preferences,
        GenerationOptions? options = null,
        RewardMode mode = RewardMode.SelfContrast,
        ILanguageModel? rewardModel = null,
        RewardReference reference = RewardReference.Joined)
    {
        ArgumentNullException.ThrowIfNull(prompt);

        // The raw chat template renders a lone user message as the prompt itself and puts the self-contrast preference
        // before it as preference + "\n\n" + prompt, so one code path builds raw and chat contexts alike.
        return ChatRequestFactory.Create(
            model, ChatTemplate.Raw, [new PromptMessage(PromptRole.User, prompt)], preferences, options ?? new GenerationOptions(), mode, rewardModel, ChatTemplate.Raw, reference);
    }

    /// <summary>Encodes text as a whole sequence: BOS (when the model has one) followed by the plain-text ids.</summary>
    public static List<int> Encode(ILanguageModel model, string text)
    {
        ArgumentNullException.ThrowIfNull(model);
        var ids = new List<int>(text.Length / 3 + 4);
        if (model.Info.BosTokenId >= 0)
        {
            ids.Add(model.Info.BosTokenId);
        }

        model.Tokenizer.Encode(text, ids);
        return ids;
    }
}
