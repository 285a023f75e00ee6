using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using PadKernel.Extensions.AI;

namespace PadKernel.SemanticKernel;

/// <summary>
/// Personalizes any prompt function from its <see cref="KernelArguments"/>: arguments named like the <c>pad_*</c> options
/// (<see cref="PadOptionKeys"/>, for example <c>pad_user</c> and <c>pad_preferences</c>) are added to the execution
/// settings of the call when it goes to a <see cref="PadChatCompletionService"/>, so a prompt written without PadKernel
/// in mind is steered by the user's stored preferences:
/// <code>
/// await kernel.InvokeAsync(summarize, new KernelArguments { ["input"] = text, [PadOptionKeys.User] = userId });
/// </code>
/// <c>AddPadChatCompletion</c> registers it. An argument overrides the same option of the function's settings; other
/// services' calls and functions are left alone.
/// </summary>
public sealed class PadKernelArgumentsFilter : IFunctionInvocationFilter
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A <c>pad_*</c> argument is unknown or of the wrong shape.</exception>
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        KernelArguments arguments = context.Arguments;
        List<KeyValuePair<string, object?>> pad = arguments
            .Where(a => a.Key.StartsWith(PadOptionKeys.Prefix, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (pad.Count == 0
            || !context.Kernel.ServiceSelector.TrySelectAIService(context.Kernel, context.Function, arguments, out IChatCompletionService? service, out PromptExecutionSettings? selected)
            || service is not PadChatCompletionService)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // Validate the arguments as the request would, so a mistake surfaces here with the argument's name.
        _ = PadRequestOptions.Read(pad);

        IReadOnlyDictionary<string, PromptExecutionSettings>? original = arguments.ExecutionSettings;
        IReadOnlyDictionary<string, PromptExecutionSettings> current = original ?? context.Function.ExecutionSettings ?? new Dictionary<string, PromptExecutionSettings>();
        string key = current.FirstOrDefault(s => ReferenceEquals(s.Value, selected)).Key ?? PromptExecutionSettings.DefaultServiceId;
        PromptExecutionSettings personalized = selected?.Clone() ?? new PromptExecutionSettings();
        if (personalized is PadPromptExecutionSettings typed)
        {
            // Typed settings keep their options in properties: move them to ExtensionData, where the arguments can override them.
            personalized = ToUntyped(typed);
        }

        var extensionData = new Dictionary<string, object>(personalized.ExtensionData ?? new Dictionary<string, object>(), StringComparer.OrdinalIgnoreCase);
        foreach ((string name, object? value) in pad)
        {
            if (value is null)
            {
                extensionData.Remove(name);
            }
            else
            {
                extensionData[name] = value;
            }
        }

        personalized.ExtensionData = extensionData;
        var settings = new Dictionary<string, PromptExecutionSettings>(current.Where(s => s.Key != key)) { [key] = personalized };
        arguments.ExecutionSettings = settings;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            arguments.ExecutionSettings = original;
        }
    }

    private static PromptExecutionSettings ToUntyped(PadPromptExecutionSettings typed)
    {
        FunctionChoiceBehavior? behavior = typed.FunctionChoiceBehavior;
        typed.FunctionChoiceBehavior = null;
        PromptExecutionSettings untyped = JsonSerializer.Deserialize<PromptExecutionSettings>(JsonSerializer.Serialize(typed))!;
        untyped.FunctionChoiceBehavior = behavior;
        return untyped;
    }
}
