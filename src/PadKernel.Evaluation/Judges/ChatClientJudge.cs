using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace PadKernel.Evaluation.Judges;

/// <summary>
/// Asks any <see cref="IChatClient"/> to grade a continuation on a numeric scale and parses the first number of its
/// answer, so a user can plug in any chat model as the grader.
/// </summary>
public sealed partial class ChatClientJudge : IJudge
{
    private readonly IChatClient _client;
    private readonly ChatClientJudgeOptions _options;

    /// <summary>Initializes a new instance of the <see cref="ChatClientJudge"/> class.</summary>
    /// <param name="client">The grader.</param>
    /// <param name="options">The grading scale and prompt; defaults to 1–10.</param>
    public ChatClientJudge(IChatClient client, ChatClientJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new ChatClientJudgeOptions();
        if (!(_options.MaxGrade > _options.MinGrade))
        {
            throw new ArgumentException("MaxGrade must be greater than MinGrade.", nameof(options));
        }
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>Builds the grading prompt for <paramref name="input"/>.</summary>
    public string BuildPrompt(JudgeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string criterion = _options.Criterion ?? input.Preference;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""
            You grade how well a text follows a preference.
            Preference: {criterion}
            The text continues this opening: {input.Prompt}
            Text to grade:
            ---
            {input.Continuation}
            ---
            A text that repeats the preference's words or talks about "the story" or "the main character" instead of telling one does not follow it.
            Answer with one number from {_options.MinGrade} (does not follow the preference at all) to {_options.MaxGrade} (follows it fully), and nothing else.
            """);
    }

    /// <summary>Parses the first number in <paramref name="answer"/> as a grade.</summary>
    /// <exception cref="JudgeResponseException">The answer holds no number, or the number is outside the scale.</exception>
    public double ParseGrade(string answer)
    {
        Match match = NumberPattern().Match(answer ?? "");
        if (!match.Success || !double.TryParse(match.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double grade))
        {
            throw new JudgeResponseException($"The grader's answer holds no number: \"{Shorten(answer)}\".");
        }

        if (grade < _options.MinGrade || grade > _options.MaxGrade)
        {
            throw new JudgeResponseException($"The grader answered {grade}, outside the scale {_options.MinGrade}–{_options.MaxGrade}: \"{Shorten(answer)}\".");
        }

        return grade;
    }

    /// <inheritdoc />
    public async ValueTask<JudgeScore> ScoreAsync(JudgeInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var messages = new List<ChatMessage> { new(ChatRole.User, BuildPrompt(input)) };
        var chatOptions = new ChatOptions { Temperature = 0f, MaxOutputTokens = _options.MaxOutputTokens };
        ChatResponse response = await _client.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
        double grade = ParseGrade(response.Text);
        double score = (grade - _options.MinGrade) / (_options.MaxGrade - _options.MinGrade);
        return new JudgeScore(score, new Dictionary<string, double> { ["grade"] = grade });
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex(@"-?\d+(?:\.\d+)?")]
    private static partial Regex NumberPattern();
}

/// <summary>Options of <see cref="ChatClientJudge"/>.</summary>
public sealed class ChatClientJudgeOptions
{
    /// <summary>Gets or sets the judge's name in reports. Default <c>chat</c>.</summary>
    public string Name { get; set; } = "chat";

    /// <summary>Gets or sets the lowest grade (score 0). Default 1.</summary>
    public double MinGrade { get; set; } = 1;

    /// <summary>Gets or sets the highest grade (score 1). Default 10.</summary>
    public double MaxGrade { get; set; } = 10;

    /// <summary>Gets or sets the criterion shown to the grader instead of the preference text, when set.</summary>
    public string? Criterion { get; set; }

    /// <summary>Gets or sets the grader's output budget. Default 16 tokens.</summary>
    public int MaxOutputTokens { get; set; } = 16;
}
