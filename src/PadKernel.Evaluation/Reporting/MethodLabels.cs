using System.Globalization;
using PadKernel.Evaluation.Running;

namespace PadKernel.Evaluation.Reporting;

/// <summary>What reports call each method: names a reader knows, with the k that sets them apart.</summary>
public static class MethodLabels
{
    /// <summary>Gets the method's name for the summary tables (the k and w columns beside it tell the rows of a family apart).</summary>
    public static string Name(EvalMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.Kind switch
        {
            EvalMethodKind.Base => "base (no preference)",
            EvalMethodKind.Prompting => "preference prompting",
            EvalMethodKind.PromptingTopK => "matched prompting",
            EvalMethodKind.PadSelfContrast => "PAD self-contrast",
            EvalMethodKind.PadRewardModel => "PAD reward model",
            _ => method.Family,
        };
    }

    /// <summary>Gets the label of the plot series the method is drawn in (its family and, where it has one, its k).</summary>
    public static string Series(EvalMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.Kind switch
        {
            EvalMethodKind.Prompting => "preference prompting (w = 0)",
            _ when method.TopK > 0 => string.Create(CultureInfo.InvariantCulture, $"{Name(method)}, k = {method.TopK}"),
            _ => Name(method),
        };
    }
}
