namespace PadKernel.Extensions.AI;

/// <summary>
/// The user a caller acts for. The personalization stage of a chat client built in a dependency-injection scope applies
/// this user's stored preferences and refuses requests naming another user; <see cref="PreferenceTools"/> resolved there
/// read and change only this user's.
/// </summary>
/// <remarks>
/// <c>AddPadKernel</c> registers a default that <see cref="PadKernelServiceProviderExtensions.CreatePadUserScope"/> sets,
/// one per scope and safe to resolve from a root provider (where it names no user). An app may register its own
/// implementation first — for example a singleton that reads the signed-in user through <c>IHttpContextAccessor</c>,
/// which serves singleton clients as well as scoped ones.
/// </remarks>
public interface IPadUserContext
{
    /// <summary>Gets the current user's id, or null when the caller acts for no particular user.</summary>
    string? UserId { get; }
}
