using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;
using PadKernel.Extensions.AI.Serialization;

// Extensions on ChatOptions live in its namespace, beside MEAI's own.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.AI;
#pragma warning restore IDE0130

/// <summary>
/// Writes and reads PAD's request options (<see cref="PadRequestOptions"/>) on <see cref="ChatOptions"/>, as the canonical
/// <c>pad_*</c> values of <see cref="ChatOptions.AdditionalProperties"/> (<see cref="PadOptionKeys"/>):
/// <code>
/// var options = new ChatOptions { MaxOutputTokens = 128 }
///     .WithPadPreferences(new PadPreference("The story is about a dog named Max.", 3f))
///     .WithPadUser("alice");
/// </code>
/// The values stay wire data — strings, numbers, booleans and <see cref="JsonElement"/>s — so MEAI's distributed cache,
/// loggers and telemetry serialize and key on them like any other option.
/// </summary>
public static class PadChatOptionsExtensions
{
    /// <summary>Reads the PAD options of a request; <see cref="PadRequestOptions.Empty"/> for null options or none set.</summary>
    /// <exception cref="ArgumentException">A <c>pad_*</c> key is unknown, misplaced or has a value of the wrong shape; <see cref="ArgumentException.ParamName"/> is the key.</exception>
    public static PadRequestOptions GetPadOptions(this ChatOptions? options) =>
        PadOptionsReader.Read(options?.AdditionalProperties, out _);

    /// <summary>Reads the preferences a personalization stage resolved for the request (<c>pad_resolved_preferences</c>), or null when none did.</summary>
    /// <exception cref="ArgumentException">A <c>pad_*</c> key is invalid.</exception>
    public static PadResolvedPreferences? GetPadResolvedPreferences(this ChatOptions? options)
    {
        _ = PadOptionsReader.Read(options?.AdditionalProperties, out PadResolvedPreferences? resolved);
        return resolved;
    }

    /// <summary>Writes every option <paramref name="pad"/> sets (options it leaves null keep their current value).</summary>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentException">An option is invalid; <see cref="ArgumentException.ParamName"/> is its key.</exception>
    public static ChatOptions WithPadOptions(this ChatOptions options, PadRequestOptions pad)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pad);
        pad.Validate();
        AdditionalPropertiesDictionary properties = options.AdditionalProperties ??= [];
        if (pad.Preferences is { } preferences)
        {
            properties[PadOptionKeys.Preferences] = PadPreferenceJson.ToElement(writer => PadPreferenceJson.WriteList(writer, preferences));
        }

        if (pad.Weight is float weight)
        {
            properties[PadOptionKeys.Weight] = weight;
        }

        if (pad.TopK is int topK)
        {
            properties[PadOptionKeys.TopK] = topK;
        }

        if (pad.Mode is RewardMode mode)
        {
            properties[PadOptionKeys.Mode] = RewardModeConverter.ToName(mode);
        }

        if (pad.User is { } user)
        {
            properties[PadOptionKeys.User] = user;
        }

        if (pad.UseStoredPreferences is bool useStored)
        {
            properties[PadOptionKeys.UseStored] = useStored;
        }

        if (pad.Layers is { } layers)
        {
            properties[PadOptionKeys.PreferenceLayers] = PadPreferenceJson.ToElement(writer => PadPreferenceJson.WriteLayers(writer, layers));
        }

        return options;
    }

    /// <summary>Sets the request's own preferences (<c>pad_preferences</c>), replacing any it had.</summary>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithPadPreferences(this ChatOptions options, params IEnumerable<PadPreference> preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        return options.WithPadOptions(new PadRequestOptions { Preferences = [.. preferences] });
    }

    /// <summary>Sets the request's own preferences (<c>pad_preferences</c>) from texts, weighted by <c>pad_weight</c> (or the model's default weight).</summary>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithPadPreferences(this ChatOptions options, params IEnumerable<string> preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        return options.WithPadPreferences(preferences.Select(text => new PadPreference(text)));
    }

    /// <summary>Sets the weight of the request's preferences that carry none (<c>pad_weight</c>).</summary>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithPadWeight(this ChatOptions options, float weight) =>
        options.WithPadOptions(new PadRequestOptions { Weight = weight });

    /// <summary>Sets the user whose stored preferences apply (<c>pad_user</c>); pass an authenticated identity, never what a user typed.</summary>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithPadUser(this ChatOptions options, string userId) =>
        options.WithPadOptions(new PadRequestOptions { User = userId });

    /// <summary>
    /// Adds a preference layer after the ones the request already has (<c>pad_preference_layers</c>): it applies after the
    /// user's stored preferences and before the request's own, and replaces earlier preferences with the same text. Layers
    /// let middleware add, say, an agent's persona and a session's preferences without overwriting the run's <c>pad_preferences</c>.
    /// </summary>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithPadPreferenceLayer(this ChatOptions options, PadPreferenceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        IReadOnlyList<PadPreferenceLayer> existing = options.GetPadOptions().Layers ?? [];
        return options.WithPadOptions(new PadRequestOptions { Layers = [.. existing, layer] });
    }
}
