using PadKernel.Llama2c;

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
            string? models = Environment.GetEnvironmentVariable("PADKERNEL_MODELS");
            if (string.IsNullOrWhiteSpace(models))
            {
                DirectoryInfo? root = new(AppContext.BaseDirectory);
                while (root is not null && !File.Exists(Path.Combine(root.FullName, "PadKernel.sln")))
                {
                    root = root.Parent;
                }

                models = root is null ? "" : Path.Combine(root.FullName, "..", "shared", "models");
            }

            string folder = Path.GetFullPath(Path.Combine(models, "stories260K"));
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

    public static string GoldenFile
    {
        get
        {
            string? golden = Environment.GetEnvironmentVariable("PADKERNEL_GOLDEN");
            string file = Path.GetFullPath(Path.Combine(
                string.IsNullOrWhiteSpace(golden) ? Path.Combine(Folder, "..", "..", "golden") : golden,
                "pad-stories260K.json"));
            if (!File.Exists(file))
            {
                Assert.Fail($"The golden vectors are missing at {file}; set PADKERNEL_GOLDEN to the shared golden folder.");
            }

            return file;
        }
    }
}
