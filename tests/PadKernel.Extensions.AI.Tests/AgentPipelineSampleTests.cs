using System.Reflection;

namespace PadKernel.Extensions.AI.Tests;

public sealed class AgentPipelineSampleTests
{
    [Fact]
    public async Task AgentPipelineSample_Run_GivesEachUserADifferentStory()
    {
        // The sample's exit code is 0 only when both users' stories differ from the guest's.
        MethodInfo main = typeof(Samples.AgentPipeline.StoryAgent).Assembly.EntryPoint!;
        string models = Path.GetDirectoryName(TestData.StoriesFolder)!;
        object? result = main.Invoke(null, [new[] { models }]);
        int exitCode = result is Task<int> task ? await task : (int)result!;
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task The_sample_needs_no_argument_it_runs_on_the_bundled_model()
    {
        MethodInfo main = typeof(Samples.AgentPipeline.StoryAgent).Assembly.EntryPoint!;
        object? result = main.Invoke(null, [Array.Empty<string>()]);
        int exitCode = result is Task<int> task ? await task : (int)result!;
        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "models", "stories260K", "stories260K.bin")));
    }
}
