namespace PadKernel.Hardening.Tests;

/// <summary>The shared test models these tests corrupt copies of.</summary>
internal static class Models
{
    public static string Stories260K => TestData.StoriesFolder;

    public static string Checkpoint => TestData.StoriesCheckpoint;

    public static string Tokenizer => TestData.StoriesTokenizer;

    public static string StoriesOnnx => TestData.Model("stories260K-onnx");

    /// <summary>Copies a GenAI model folder (its files, not links) so a test can alter it.</summary>
    public static string CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
        {
            string target = Path.Combine(destination, Path.GetFileName(file));
            File.Copy(file, target, overwrite: true);
            File.SetAttributes(target, FileAttributes.Normal);
        }

        return destination;
    }
}
