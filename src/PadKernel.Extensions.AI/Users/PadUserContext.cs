namespace PadKernel.Extensions.AI;

/// <summary>A settable <see cref="IPadUserContext"/>: set once, to one user.</summary>
public sealed class PadUserContext : IPadUserContext
{
    private string? _userId;

    /// <summary>Initializes a new instance of the <see cref="PadUserContext"/> class that acts for no user yet.</summary>
    public PadUserContext()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PadUserContext"/> class for a user.</summary>
    public PadUserContext(string userId)
    {
        UserId = userId;
    }

    /// <summary>Gets or sets the current user's id. Once set to a user it cannot be changed to another (a scope is one user's).</summary>
    /// <exception cref="InvalidOperationException">The context already belongs to another user.</exception>
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
