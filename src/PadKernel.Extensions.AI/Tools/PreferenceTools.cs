using System.ComponentModel;
using Microsoft.Extensions.AI;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI;

/// <summary>
/// Tools an agent offers its user to manage their own preferences — <c>remember_preference</c>,
/// <c>forget_preference</c> and <c>list_preferences</c> — made with <see cref="AIFunctionFactory"/> and bound to the
/// current user: a call can only read or change that user's preferences, whatever arguments the model passes.
/// </summary>
public sealed class PreferenceTools
{
    /// <summary>The name of the tool that stores a preference.</summary>
    public const string RememberName = "remember_preference";

    /// <summary>The name of the tool that removes a preference.</summary>
    public const string ForgetName = "forget_preference";

    /// <summary>The name of the tool that lists the preferences.</summary>
    public const string ListName = "list_preferences";

    private readonly IPreferenceStore _store;
    private readonly IPadUserContext _user;

    /// <summary>Initializes a new instance of the <see cref="PreferenceTools"/> class for the user of <paramref name="userContext"/> (read at each call).</summary>
    public PreferenceTools(IPreferenceStore store, IPadUserContext userContext)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(userContext);
        _store = store;
        _user = userContext;
        Remember = AIFunctionFactory.Create(
            (Func<string, float, CancellationToken, Task<PreferenceInfo>>)RememberAsync,
            RememberName,
            "Remembers a preference of the user about how answers should be written (for example 'keep answers short'); it applies to all later answers. Restating an existing preference updates its weight.");
        Forget = AIFunctionFactory.Create(
            (Func<string, CancellationToken, Task<bool>>)ForgetAsync,
            ForgetName,
            "Forgets one of the user's preferences, given its text or id. Returns whether one was removed.");
        List = AIFunctionFactory.Create(
            (Func<CancellationToken, Task<IReadOnlyList<PreferenceInfo>>>)ListAsync,
            ListName,
            "Lists the preferences remembered for the user.");
    }

    /// <summary>Initializes a new instance of the <see cref="PreferenceTools"/> class for a fixed user.</summary>
    public PreferenceTools(IPreferenceStore store, string userId)
        : this(store, new PadUserContext(userId))
    {
    }

    /// <summary>Gets the <c>remember_preference</c> function (arguments: <c>text</c>, optional <c>weight</c>, default 1).</summary>
    public AIFunction Remember { get; }

    /// <summary>Gets the <c>forget_preference</c> function (argument: <c>textOrId</c>).</summary>
    public AIFunction Forget { get; }

    /// <summary>Gets the <c>list_preferences</c> function (no arguments).</summary>
    public AIFunction List { get; }

    /// <summary>Gets the three functions, for <c>ChatOptions.Tools</c> or a Semantic Kernel plugin.</summary>
    public IReadOnlyList<AIFunction> Functions => [Remember, Forget, List];

    /// <summary>Returns the three functions as a new tool list for <c>ChatOptions.Tools</c>.</summary>
    public IList<AITool> AsTools() => [Remember, Forget, List];

    private string UserId => _user.UserId
        ?? throw new InvalidOperationException("The preference tools need a current user; create them in a user's scope (CreatePadUserScope) or with a user id.");

    private async Task<PreferenceInfo> RememberAsync(
        [Description("The preference in the user's words, for example 'Keep answers short.'")] string text,
        [Description("How strongly to steer toward it; 1 is normal, 0 disables it.")] float weight = 1f,
        CancellationToken cancellationToken = default)
    {
        StoredPreference stored = await _store.SetAsync(UserId, text, weight, cancellationToken).ConfigureAwait(false);
        return PreferenceInfo.From(stored);
    }

    private Task<bool> ForgetAsync(
        [Description("The preference's text (as listed) or its id.")] string textOrId,
        CancellationToken cancellationToken = default) =>
        _store.RemoveAsync(UserId, textOrId, cancellationToken);

    private async Task<IReadOnlyList<PreferenceInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StoredPreference> stored = await _store.ListAsync(UserId, cancellationToken).ConfigureAwait(false);
        return stored.Select(PreferenceInfo.From).ToArray();
    }
}

/// <summary>A stored preference as the preference tools report it to the model.</summary>
/// <param name="Id">The preference's id.</param>
/// <param name="Text">Its text.</param>
/// <param name="Weight">Its weight.</param>
public sealed record PreferenceInfo(string Id, string Text, float Weight)
{
    internal static PreferenceInfo From(StoredPreference stored) => new(stored.Id, stored.Text, stored.Weight);
}
