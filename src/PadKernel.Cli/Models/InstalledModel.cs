namespace PadKernel.Cli.Models;

/// <summary>A model folder pad can run, as <c>pad models list</c> shows it.</summary>
/// <param name="Name">The name it is found by (its folder's name).</param>
/// <param name="Runtime">The runtime that loads it (<c>llama2c</c>, <c>onnxruntime-genai</c>).</param>
/// <param name="Bytes">The size of its files.</param>
/// <param name="Folder">Where it is.</param>
/// <param name="Source">Which location it was found in: <c>PADKERNEL_MODELS</c>, the download cache or bundled.</param>
/// <param name="Hidden">Whether an earlier location holds a model of the same name, which the name resolves to instead.</param>
internal sealed record InstalledModel(string Name, string Runtime, long Bytes, string Folder, string Source, bool Hidden);
