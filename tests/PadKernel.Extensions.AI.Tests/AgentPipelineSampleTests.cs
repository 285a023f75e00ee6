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
}
