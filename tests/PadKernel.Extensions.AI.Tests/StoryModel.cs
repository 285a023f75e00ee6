using PadKernel.Llama2c;

namespace PadKernel.Extensions.AI.Tests;

/// <summary>
/// The real stories260K model, loaded once and shared: one model instance serving every test is exactly the concurrency
/// the connector promises.
/// </summary>
internal static class StoryModel
{
    private static readonly Lazy<Llama2cModel> Shared = new(() => Load(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Llama2cModel Model => Shared.Value;

    public static Llama2cModel Load() => Llama2cModel.Load(TestData.StoriesCheckpoint, TestData.StoriesTokenizer);
}
