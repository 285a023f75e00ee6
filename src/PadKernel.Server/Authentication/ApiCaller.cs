using System.Security.Claims;

namespace PadKernel.Server.Authentication;

/// <summary>Who is calling: the user the API key acts as, and whether it is an admin key.</summary>
/// <param name="UserId">The key's user; null for an admin key bound to no user.</param>
/// <param name="IsAdmin">Whether the key may act as any user.</param>
internal sealed record ApiCaller(string? UserId, bool IsAdmin)
{
    public const string AdminRole = "admin";

    /// <summary>Returns whether this caller may read and change <paramref name="userId"/>'s data.</summary>
    public bool MayActAs(string userId) => IsAdmin || string.Equals(UserId, userId, StringComparison.Ordinal);

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>(2);
        if (UserId is not null)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, UserId));
        }

        if (IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static ApiCaller FromPrincipal(ClaimsPrincipal principal) =>
        new(principal.FindFirstValue(ClaimTypes.NameIdentifier), principal.IsInRole(AdminRole));
}
