using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PadKernel.Server.Configuration;

namespace PadKernel.Server.Authentication;

/// <summary>The configured API keys, looked up by their SHA-256 digest so that no comparison runs over the secret itself.</summary>
internal sealed class ApiKeyRegistry
{
    private readonly Dictionary<string, ApiCaller> _byDigest = new(StringComparer.Ordinal);

    public ApiKeyRegistry(IOptions<PadServerOptions> options)
    {
        PadServerOptions value = options.Value;
        foreach (ApiKeyOptions key in value.ApiKeys)
        {
            string? user = string.IsNullOrWhiteSpace(key.User) ? null : key.User;
            _byDigest[Digest(key.Key)] = new ApiCaller(user, key.Admin);
        }

        Anonymous = value.AllowAnonymous ? new ApiCaller(value.AnonymousUser, IsAdmin: false) : null;
    }

    /// <summary>Gets the caller requests without a key act as, or null when a key is required.</summary>
    public ApiCaller? Anonymous { get; }

    public bool TryFind(string key, out ApiCaller caller) => _byDigest.TryGetValue(Digest(key), out caller!);

    private static string Digest(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
