namespace PadKernel.Prompts;

/// <summary>
/// A conversation reduced to what templates render: one system text and the user/assistant turns. Every template,
/// built-in or a runtime's own, normalizes a conversation through it, so all of them treat system messages alike.
/// </summary>
public sealed class Conversation
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

    /// <summary>Joins the system messages (blank line between them) and keeps the other turns in order.</summary>
    /// <param name="messages">The conversation.</param>
    /// <exception cref="ArgumentException">There is no user message.</exception>
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
