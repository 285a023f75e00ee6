using PadKernel.Llama2c;
using PadKernel.Testing;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// The real stories260K model from $PADKERNEL_MODELS (default ../shared/models beside the repository), loaded once and
/// shared: one model instance serving every test is exactly the concurrency the connector promises.
/// A missing model fails the test with a message saying where to put it.
/// </summary>
internal static class StoryModel
{
    private static readonly Lazy<Llama2cModel> Shared = new(() => Load(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Llama2cModel Model => Shared.Value;

    public static string Folder
    {
        get
        {
            string folder = TestData.Model("stories260K");
            if (!File.Exists(Path.Combine(folder, "stories260K.bin")) || !File.Exists(Path.Combine(folder, "tok512.bin")))
            {
                Assert.Fail($"The story model is missing at {folder}. Set PADKERNEL_MODELS to the folder holding stories260K/ " +
                            "(stories260K.bin and tok512.bin from https://huggingface.co/karpathy/tinyllamas).");
            }

            return folder;
        }
    }

    public static Llama2cModel Load() =>
        Llama2cModel.Load(Path.Combine(Folder, "stories260K.bin"), Path.Combine(Folder, "tok512.bin"));

    public static string GoldenFile => TestData.GoldenFile;
}
