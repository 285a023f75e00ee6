using PadKernel.Llama2c;
using PadKernel.Models;

namespace PadKernel.Evaluation.Tests;

/// <summary>The real story model (stories260K), loaded once for the tests that need it. A missing model fails the tests.</summary>
public sealed class StoryModel : IDisposable
{
    public StoryModel()
    {
        string? models = Environment.GetEnvironmentVariable("PADKERNEL_MODELS");
        if (string.IsNullOrEmpty(models))
        {
            DirectoryInfo? dir = new(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "PadKernel.sln")))
            {
                dir = dir.Parent;
            }

            models = dir is null ? "models" : System.IO.Path.Combine(dir.FullName, "..", "shared", "models");
        }

        string path = System.IO.Path.Combine(models, "stories260K");
        Assert.True(Directory.Exists(path), $"The story model is missing at '{path}': set PADKERNEL_MODELS to the folder holding stories260K/ (scripts/test.sh points it at ../shared/models).");
        Path = path;
        Model = new Llama2cModelLoader().Load(path);
    }

    public ILanguageModel Model { get; }

    public string Path { get; }

    public void Dispose() => Model.Dispose();
}
