using PadKernel.Samples.SemanticKernel;

namespace PadKernel.SemanticKernel.Tests;

public sealed class SampleTests
{
    [Fact]
    public async Task StorySample_Run_GivesEachUserTheirOwnStory()
    {
        // The sample returns 0 only when both users' stories differ from the guest's and from each other, and the
        // pad_user kernel argument on the shared kernel gives alice's story.
        using var output = new StringWriter();
        int exitCode = await StorySample.RunAsync(Path.GetDirectoryName(TestData.StoriesFolder)!, output);
        Assert.True(exitCode == 0, output.ToString());
    }
}
