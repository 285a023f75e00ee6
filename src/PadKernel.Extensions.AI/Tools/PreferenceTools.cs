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

    /// <summary>What <c>remember_preference</c> tells the model it does.</summary>
    public const string RememberDescription = "Remembers a preference of the user about how answers should be written (for example 'keep answers short'); it applies to all later answers. Restating an existing preference updates its weight.";

    /// <summary>What <c>forget_preference</c> tells the model it does.</summary>
    public const string ForgetDescription = "Forgets one of the user's preferences, given its text or id. Returns whether one was removed.";

    /// <summary>What <c>list_preferences</c> tells the model it does.</summary>
    public const string ListDescription = "Lists the preferences remembered for the user.";

    /// <summary>The description of <c>remember_preference</c>'s <c>text</c> parameter.</summary>
    public const string TextParameterDescription = "The preference in the user's words, for example 'Keep answers short.'";

    /// <summary>The description of <c>remember_preference</c>'s <c>weight</c> parameter.</summary>
    public const string WeightParameterDescription = "How strongly to steer toward it; 1 is normal, 0 disables it.";

    /// <summary>The description of <c>forget_preference</c>'s <c>textOrId</c> parameter.</summary>
    public const string TextOrIdParameterDescription = "The preference's text (as listed) or its id.";

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
            RememberDescription);
        Forget = AIFunctionFactory.Create(
            (Func<string, CancellationToken, Task<bool>>)ForgetAsync,
            ForgetName,
            ForgetDescription);
        List = AIFunctionFactory.Create(
            (Func<CancellationToken, Task<IReadOnlyList<PreferenceInfo>>>)ListAsync,
            ListName,
            ListDescription);
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

    /// <summary>Stores a preference for the current user, or updates the weight of the same preference (what <c>remember_preference</c> does).</summary>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    public async Task<PreferenceInfo> RememberAsync(
        [Description(TextParameterDescription)] string text,
        [Description(WeightParameterDescription)] float weight = 1f,
        CancellationToken cancellationToken = default)
    {
        StoredPreference stored = await _store.SetAsync(UserId, text, weight, cancellationToken).ConfigureAwait(false);
        return PreferenceInfo.From(stored);
    }

    /// <summary>Removes one of the current user's preferences by text or id; returns whether one was removed (what <c>forget_preference</c> does).</summary>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    public Task<bool> ForgetAsync(
        [Description(TextOrIdParameterDescription)] string textOrId,
        CancellationToken cancellationToken = default) =>
        _store.RemoveAsync(UserId, textOrId, cancellationToken);

    /// <summary>Lists the current user's preferences (what <c>list_preferences</c> does).</summary>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    public async Task<IReadOnlyList<PreferenceInfo>> ListAsync(CancellationToken cancellationToken = default)
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
