using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;

namespace PadKernel.SemanticKernel;

/// <summary>
/// A Semantic Kernel plugin with which an agent manages its user's preferences: <c>remember_preference</c>,
/// <c>forget_preference</c> and <c>list_preferences</c>, bound to the current user (whatever arguments the model passes,
/// a call reads or changes only that user's preferences). Import it in a user's scope:
/// <code>
/// using IServiceScope scope = services.CreatePadUserScope("alice");
/// Kernel kernel = scope.ServiceProvider.GetRequiredService&lt;Kernel&gt;();
/// kernel.ImportPluginFromType&lt;PadPreferencesPlugin&gt;("preferences");   // or Plugins.AddFromObject(new PadPreferencesPlugin(store, "alice"))
/// </code>
/// </summary>
public sealed class PadPreferencesPlugin
{
    private readonly PreferenceTools _tools;

    /// <summary>Initializes a new instance of the <see cref="PadPreferencesPlugin"/> class for the user of <paramref name="userContext"/> (read at each call).</summary>
    [ActivatorUtilitiesConstructor]
    public PadPreferencesPlugin(IPreferenceStore store, IPadUserContext userContext)
    {
        _tools = new PreferenceTools(store, userContext);
    }

    /// <summary>Initializes a new instance of the <see cref="PadPreferencesPlugin"/> class for a fixed user.</summary>
    public PadPreferencesPlugin(IPreferenceStore store, string userId)
    {
        _tools = new PreferenceTools(store, userId);
    }

    /// <summary>Stores a preference for the user, or updates the weight of the same preference.</summary>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    [KernelFunction(PreferenceTools.RememberName)]
    [Description(PreferenceTools.RememberDescription)]
    public Task<PreferenceInfo> RememberAsync(
        [Description(PreferenceTools.TextParameterDescription)] string text,
        [Description(PreferenceTools.WeightParameterDescription)] float weight = 1f,
        CancellationToken cancellationToken = default) =>
        _tools.RememberAsync(text, weight, cancellationToken);

    /// <summary>Removes one of the user's preferences by text or id; returns whether one was removed.</summary>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    [KernelFunction(PreferenceTools.ForgetName)]
    [Description(PreferenceTools.ForgetDescription)]
    public Task<bool> ForgetAsync(
        [Description(PreferenceTools.TextOrIdParameterDescription)] string textOrId,
        CancellationToken cancellationToken = default) =>
        _tools.ForgetAsync(textOrId, cancellationToken);

    /// <summary>Lists the user's preferences.</summary>
    /// <exception cref="InvalidOperationException">There is no current user.</exception>
    [KernelFunction(PreferenceTools.ListName)]
    [Description(PreferenceTools.ListDescription)]
    public Task<IReadOnlyList<PreferenceInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        _tools.ListAsync(cancellationToken);
}
