namespace PadKernel.Prompts;

/// <summary>A conversation reduced to what templates render: one system text and the user/assistant turns.</summary>
internal sealed class Conversation
{
    private Conversation(string? system, IReadOnlyList<PromptMessage> turns)
    {
        System = system;
        Turns = turns;
    }

    /// <summary>Gets all system messages joined by a blank line, or null when there is none.</summary>
    public string? System { get; }

    /// <summary>Gets the user and assistant messages in order.</summary>
    public IReadOnlyList<PromptMessage> Turns { get; }

    public static Conversation From(IReadOnlyList<PromptMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var system = new List<string>();
        var turns = new List<PromptMessage>();
        foreach (PromptMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message);
            ArgumentNullException.ThrowIfNull(message.Text);
            if (message.Role == PromptRole.System)
            {
                if (message.Text.Length > 0)
                {
                    system.Add(message.Text);
                }
            }
            else
            {
                turns.Add(message);
            }
        }

        if (!turns.Any(t => t.Role == PromptRole.User))
        {
            throw new ArgumentException("The conversation needs at least one user message.", nameof(messages));
        }

        return new Conversation(system.Count == 0 ? null : string.Join("\n\n", system), turns);
    }
}
