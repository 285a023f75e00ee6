namespace PadKernel.OnnxRuntime.Validation;

/// <summary>
/// Checks a GenAI model folder's files before the native parsers read them.
/// PLACEHOLDER (issue 9 branch): helper h11a owns this file and replaces it with the real validator (size caps,
/// regular-file checks, decoder.filename inside the folder, tokenizer.json id bounds and hostile regexes).
/// </summary>
public static class GenAIFolderValidator
{
    /// <summary>Validates the folder; throws <see cref="PadKernel.Models.ModelFormatException"/> naming the file and key at fault.</summary>
    /// <param name="folder">The model folder.</param>
    public static void Validate(string folder) => ArgumentException.ThrowIfNullOrEmpty(folder);
}
