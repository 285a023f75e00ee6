using System.Globalization;
using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Models;

/// <summary>
/// Puts the execution provider asked for (<see cref="OnnxRuntimeOptions.ExecutionProvider"/>) into a GenAI
/// configuration, and turns GenAI's errors about it into <see cref="ExecutionProviderUnavailableException"/> naming
/// the package to install.
/// </summary>
internal static class ExecutionProviders
{
    /// <summary>The provider every GenAI package has.</summary>
    public const string Cpu = "cpu";

    /// <summary>Gets the provider name GenAI knows, from the option's value.</summary>
    public static string Normalize(string? provider) => provider?.Trim().ToLowerInvariant() is { Length: > 0 } name ? name : Cpu;

    /// <summary>
    /// Replaces the folder's providers by <paramref name="provider"/>, so that results do not depend on what the
    /// exporting machine had (CPU needs no entry: it is what GenAI runs without one).
    /// </summary>
    /// <exception cref="ExecutionProviderUnavailableException">GenAI does not know the provider.</exception>
    public static void Apply(OgaConfig config, string provider, int? deviceId)
    {
        config.ClearProviders();
        if (provider == Cpu)
        {
            return;
        }

        try
        {
            config.AppendProvider(provider);
            if (deviceId is int id)
            {
                config.SetProviderOption(provider, "device_id", id.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw Unavailable(provider, ex);
        }
    }

    /// <summary>The error for a provider the installed GenAI package cannot run (GenAI's message inside).</summary>
    public static ExecutionProviderUnavailableException Unavailable(string provider, OnnxRuntimeException ex)
    {
        string package = provider switch
        {
            "cuda" => "Microsoft.ML.OnnxRuntimeGenAI.Cuda",
            "dml" => "Microsoft.ML.OnnxRuntimeGenAI.DirectML (Windows)",
            _ => "the Microsoft.ML.OnnxRuntimeGenAI package built for that provider",
        };
        return new ExecutionProviderUnavailableException(
            provider,
            $"The execution provider '{provider}' is not available in the installed ONNX Runtime GenAI package; install {package} instead of Microsoft.ML.OnnxRuntimeGenAI, or use 'cpu'. ({ex.Message})",
            ex);
    }
}
