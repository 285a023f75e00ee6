using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PadKernel.Extensions.AI.Serialization;

namespace PadKernel.Extensions.AI;

/// <summary>
/// The preference set a request applies, resolved by <see cref="PadPreferenceResolver"/>: stored preferences, layers and
/// the request's own, merged in that order. It travels as <c>pad_resolved_preferences</c> with its <see cref="Hash"/>
/// (<c>pad_preferences_hash</c>), so every middleware keyed on <c>ChatOptions</c> tells preference sets apart.
/// </summary>
public sealed class PadResolvedPreferences
{
    /// <summary>Initializes a new instance of the <see cref="PadResolvedPreferences"/> class.</summary>
    /// <param name="preferences">The preferences, in the order they apply.</param>
    public PadResolvedPreferences(IReadOnlyList<PadResolvedPreference> preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        Preferences = preferences;
        Hash = ComputeHash(preferences);
    }

    /// <summary>Gets an empty set.</summary>
    public static PadResolvedPreferences None { get; } = new([]);

    /// <summary>Gets the preferences, in the order they apply.</summary>
    public IReadOnlyList<PadResolvedPreference> Preferences { get; }

    /// <summary>
    /// Gets a SHA-256 content hash (first 128 bits, lowercase hex) of the texts and weights, in order: equal sets hash
    /// equal, and the hash changes whenever a text or a weight does. Sources are not part of it (they do not change decoding).
    /// </summary>
    public string Hash { get; }

    /// <summary>Returns the set as the <see cref="JsonElement"/> written under <c>pad_resolved_preferences</c>: it serializes the same way under any serializer options and needs no reflection.</summary>
    public JsonElement ToJson() => PadPreferenceJson.ToElement(writer => PadPreferenceJson.WriteResolved(writer, Preferences));

    /// <summary>Throws <see cref="ArgumentException"/> naming <c>pad_resolved_preferences</c> for an invalid entry.</summary>
    internal void Validate()
    {
        foreach (PadResolvedPreference preference in Preferences)
        {
            new PadPreference(preference.Text, preference.Weight).Validate(PadOptionKeys.ResolvedPreferences);
        }
    }

    private static string ComputeHash(IReadOnlyList<PadResolvedPreference> preferences)
    {
        var canonical = new StringBuilder();
        foreach (PadResolvedPreference preference in preferences)
        {
            // Length-prefixed text, then the exact weight (or '-' for the default): no two different sets share a form.
            canonical.Append(preference.Text.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(preference.Text)
                .Append('=').Append(preference.Weight?.ToString("R", CultureInfo.InvariantCulture) ?? "-").Append(';');
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
