using PadKernel.Llama2c;
using PadKernel.Models;

namespace PadKernel.Evaluation.Tests;

/// <summary>The real story model (stories260K), loaded once for the tests that need it. A missing model fails the tests.</summary>
public sealed class StoryModel : IDisposable
{
    public StoryModel()
    {
        string path = TestData.StoriesFolder;
        Path = path;
        Model = new Llama2cModelLoader().Load(path);
    }

    public ILanguageModel Model { get; }

    public string Path { get; }

    public void Dispose() => Model.Dispose();
}
