namespace PadKernel.Llama2c.Tests;

/// <summary>The stories260K model, loaded once and shared by every test (the model is immutable and thread-safe).</summary>
internal static class Stories260K
{
    private static readonly Lazy<Llama2cModel> Shared = new(() => Load(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Llama2cModel Model => Shared.Value;

    public static Llama2cModel Load(Llama2cModelOptions? options = null) =>
        Llama2cModel.Load(TestData.StoriesCheckpoint, TestData.StoriesTokenizer, options);
}
