using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Extensions.AI.Serialization;

namespace PadKernel.Extensions.AI;

/// <summary>How a resolved preference set travels in <c>ChatOptions.AdditionalProperties</c>: as JSON and as a content hash.</summary>
internal static class ResolvedPreferences
{
    /// <summary>
    /// Returns the set as a JSON array of <c>{text, weight}</c> objects. A <see cref="JsonElement"/> serializes the same
    /// way under any serializer options (a cache's key, a logger), needs no reflection, and parses back with
    /// <see cref="PadRequestOptions.Parse"/>.
    /// </summary>
    public static JsonElement ToJson(IReadOnlyList<Preference> preferences)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            PreferenceListJson.Write(writer, preferences.Select(p => (p.Text, (float?)p.Weight)));
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Returns a SHA-256 content hash (first 128 bits, lowercase hex) of the texts and weights, in order.</summary>
    public static string Hash(IReadOnlyList<Preference> preferences)
    {
        var canonical = new StringBuilder();
        foreach (Preference preference in preferences)
        {
            // Length-prefixed text, then the exact weight: no two different sets share a canonical form.
            canonical.Append(preference.Text.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(preference.Text)
                .Append('=').Append(preference.Weight.ToString("R", CultureInfo.InvariantCulture)).Append(';');
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
