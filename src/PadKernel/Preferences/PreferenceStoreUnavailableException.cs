namespace PadKernel.Preferences;

/// <summary>
/// The preference store cannot be reached (its database is down, refusing connections or timing out). Nothing was
/// read or changed; the same call may succeed later, so hosts report it as a temporary failure (HTTP 503), not as a
/// fault in the request.
/// </summary>
public sealed class PreferenceStoreUnavailableException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="PreferenceStoreUnavailableException"/> class.</summary>
    /// <param name="message">What could not be reached (never a password).</param>
    /// <param name="innerException">The driver's error.</param>
    public PreferenceStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
