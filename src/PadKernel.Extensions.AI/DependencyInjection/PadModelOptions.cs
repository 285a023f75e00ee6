using PadKernel.Models;

namespace PadKernel.Extensions.AI;

/// <summary>
/// One model of <see cref="PadKernelOptions.Models"/>: where it comes from, its chat template and reward model, and —
/// being <see cref="PadClientDefaults"/> — the defaults of its chat client, bound from the same configuration object.
/// </summary>
public sealed class PadModelOptions : PadClientDefaults
{
    /// <summary>Gets or sets the model's file or folder, given to the first <see cref="IModelLoader"/> that can load it.</summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets a factory that creates the model instead of a loader.</summary>
    public Func<IServiceProvider, ILanguageModel>? Factory { get; set; }

    /// <summary>Gets or sets the chat template name (<c>raw</c>, <c>chatml</c>, <c>llama2</c>, <c>mistral</c>, <c>llama3</c>, <c>phi3</c>, <c>zephyr</c>); chosen from the model when null.</summary>
    public string? ChatTemplate { get; set; }

    /// <summary>Gets or sets the name of another model in <see cref="PadKernelOptions.Models"/> used as this model's personalized reward model.</summary>
    public string? RewardModel { get; set; }
}
