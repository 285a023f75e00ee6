using Microsoft.Extensions.AI;
using PadKernel.Preferences;

namespace PadKernel.Extensions.AI;

/// <summary>
/// Resolves which preferences a request applies: the user's stored preferences (<see cref="IPreferenceStore"/>), then
/// each preference layer (<c>pad_preference_layers</c>: an agent's persona, a session's preferences, ...), then the
/// request's own (<c>pad_preferences</c>); a later preference replaces an earlier one with the same text (compared
/// trimmed and case-insensitively). It binds the user — a caller acting for one user cannot name another — and hashes
/// the resolved set. <c>AddPadKernel</c> registers it as a singleton; <see cref="PadPersonalizationChatClient"/> uses it.
/// </summary>
/// <remarks>
/// Code outside a chat pipeline supplies a user or preferences for one call by writing them into that call's
/// <c>ChatOptions</c> before the personalization stage sees them (<c>WithPadUser</c>, <c>WithPadPreferenceLayer</c>,
/// <c>WithPadPreferences</c>), or resolves itself with <see cref="PersonalizeAsync"/> and passes the result on.
/// </remarks>
public sealed class PadPreferenceResolver
{
    private readonly IPreferenceStore? _store;

    /// <summary>Initializes a new instance of the <see cref="PadPreferenceResolver"/> class.</summary>
    /// <param name="store">Where users' preferences are kept; null to apply only what requests carry.</param>
    public PadPreferenceResolver(IPreferenceStore? store = null)
    {
        _store = store;
    }

    /// <summary>Resolves the preferences of a request.</summary>
    /// <param name="request">The request's PAD options.</param>
    /// <param name="boundUser">The user the caller acts for (a user's scope); null for a caller that serves any user through <c>pad_user</c>.</param>
    /// <param name="cancellationToken">Cancels reading the store.</param>
    /// <exception cref="ArgumentException"><paramref name="request"/> names another user than <paramref name="boundUser"/>, or holds an invalid option.</exception>
    public async Task<PadResolvedPreferences> ResolveAsync(PadRequestOptions request, string? boundUser = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        string? user = BindUser(request.User, boundUser);
        IReadOnlyList<StoredPreference> stored = _store is not null && user is not null && request.UseStoredPreferences != false
            ? await _store.ListAsync(user, cancellationToken).ConfigureAwait(false)
            : [];
        return Merge(stored, request);
    }

    /// <summary>Merges stored preferences, the request's layers and its own preferences, in that order (what a client without a store applies, with none stored).</summary>
    internal static PadResolvedPreferences Merge(IReadOnlyList<StoredPreference> stored, PadRequestOptions request)
    {
        var merged = new List<PadResolvedPreference>();
        foreach (StoredPreference preference in stored)
        {
            Apply(merged, new PadResolvedPreference(preference.Text, preference.Weight, PadResolvedPreference.StoredSource));
        }

        foreach (PadPreferenceLayer layer in request.Layers ?? [])
        {
            foreach (PadPreference preference in layer.Preferences)
            {
                Apply(merged, new PadResolvedPreference(preference.Text.Trim(), preference.Weight ?? layer.Weight, layer.Source));
            }
        }

        foreach (PadPreference preference in request.Preferences ?? [])
        {
            Apply(merged, new PadResolvedPreference(preference.Text.Trim(), preference.Weight ?? request.Weight, PadResolvedPreference.RequestSource));
        }

        return merged.Count == 0 ? PadResolvedPreferences.None : new PadResolvedPreferences(merged);
    }

    /// <summary>
    /// Returns a copy of <paramref name="options"/> that carries the user (<c>pad_user</c>), the resolved preferences
    /// (<c>pad_resolved_preferences</c>) and their hash (<c>pad_preferences_hash</c>), so that middleware keyed on
    /// <see cref="ChatOptions"/> sees what will apply. Options that are already resolved are returned as they are, once
    /// their user is checked; <paramref name="options"/> itself is never changed.
    /// </summary>
    /// <exception cref="ArgumentException">A PadKernel option is invalid, or <c>pad_user</c> names another user than <paramref name="boundUser"/>.</exception>
    public async Task<ChatOptions> PersonalizeAsync(ChatOptions? options, string? boundUser = null, CancellationToken cancellationToken = default)
    {
        PadRequestOptions request = PadOptionsReader.Read(options?.AdditionalProperties, out PadResolvedPreferences? resolved);
        string? user = BindUser(request.User, boundUser);
        if (options is not null && resolved is not null)
        {
            return options;
        }

        resolved = await ResolveAsync(request, boundUser, cancellationToken).ConfigureAwait(false);
        ChatOptions personalized = options?.Clone() ?? new ChatOptions();

        // A copy of the dictionary too: the caller's options (often reused across requests) stay as they were.
        AdditionalPropertiesDictionary properties = personalized.AdditionalProperties is { } given ? new(given) : [];
        if (user is not null)
        {
            properties[PadOptionKeys.User] = user;
        }

        properties[PadOptionKeys.ResolvedPreferences] = resolved.ToJson();
        properties[PadOptionKeys.PreferencesHash] = resolved.Hash;
        personalized.AdditionalProperties = properties;
        return personalized;
    }

    private static string? BindUser(string? requested, string? bound)
    {
        if (bound is not null && requested is not null && !string.Equals(bound, requested, StringComparison.Ordinal))
        {
            // A caller bound to a user never reads another user's preferences.
            throw new ArgumentException($"'{PadOptionKeys.User}' names user '{requested}' but this client acts for another user.", PadOptionKeys.User);
        }

        return bound ?? requested;
    }

    private static void Apply(List<PadResolvedPreference> merged, PadResolvedPreference preference)
    {
        merged.RemoveAll(p => PreferenceText.SameText(p.Text, preference.Text));
        merged.Add(preference);
    }
}
