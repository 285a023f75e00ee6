using Microsoft.Extensions.DependencyInjection;

namespace PadKernel.Extensions.AI;

/// <summary>Creates scopes that act for one user.</summary>
public static class PadKernelServiceProviderExtensions
{
    /// <summary>
    /// Creates a scope whose <see cref="IPadUserContext"/> is <paramref name="userId"/>: a PadKernel <c>IChatClient</c>
    /// resolved in it (or a Semantic Kernel kernel resolved in it) applies that user's stored preferences, and
    /// <see cref="PreferenceTools"/> resolved in it manage that user's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The app replaced <see cref="IPadUserContext"/> with its own implementation; set the user there.</exception>
    public static IServiceScope CreatePadUserScope(this IServiceProvider services, string userId)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        IServiceScope scope = services.CreateScope();
        try
        {
            if (scope.ServiceProvider.GetRequiredService<IPadUserContext>() is not PadUserContext context)
            {
                throw new InvalidOperationException("IPadUserContext is the app's own implementation; set the user through it instead of CreatePadUserScope.");
            }

            context.UserId = userId;
            return scope;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }
}
