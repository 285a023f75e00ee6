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

    [Fact]
    public async Task The_sample_needs_no_argument_it_runs_on_the_bundled_model()
    {
        using var output = new StringWriter();
        int exitCode = await StorySample.RunAsync(null, output);
        Assert.True(exitCode == 0, output.ToString());
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "models", "stories260K", "stories260K.bin")));
    }
}
