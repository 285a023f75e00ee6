namespace PadKernel.Extensions.AI;

/// <summary>
/// The user a dependency-injection scope acts for. A <see cref="PadChatClient"/> resolved in the scope applies this
/// user's stored preferences, and <see cref="PreferenceTools"/> resolved there read and change only this user's.
/// </summary>
/// <remarks>
/// <c>AddPadKernel</c> registers <see cref="PadUserContext"/> (set by the app, for example with
/// <see cref="PadKernelServiceProviderExtensions.CreatePadUserScope"/>) unless the app registered its own implementation
/// first — for example one that reads the signed-in user from <c>HttpContext</c>.
/// </remarks>
public interface IPadUserContext
{
    /// <summary>Gets the current user's id, or null when the scope acts for no particular user.</summary>
    string? UserId { get; }
}

/// <summary>A settable <see cref="IPadUserContext"/>: one instance per scope.</summary>
public sealed class PadUserContext : IPadUserContext
{
    private string? _userId;

    /// <summary>Initializes a new instance of the <see cref="PadUserContext"/> class.</summary>
    public PadUserContext()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PadUserContext"/> class for a user.</summary>
    public PadUserContext(string userId)
    {
        UserId = userId;
    }

    /// <summary>Gets or sets the current user's id. Once set to a user it cannot be changed to another (a scope is one user's).</summary>
    /// <exception cref="InvalidOperationException">The scope already belongs to another user.</exception>
    public string? UserId
    {
        get => _userId;
        set
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("A user id must be non-empty.", nameof(value));
            }

            if (_userId is not null && !string.Equals(_userId, value, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"This scope already belongs to user '{_userId}'; create a new scope for another user.");
            }

            _userId = value;
        }
    }
}
