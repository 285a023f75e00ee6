namespace PadKernel.Cli.Tests;

public sealed class ErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pad-cli-errors-").FullName;

    [Fact]
    public async Task AMissingModelSaysHowToGetIt()
    {
        (int code, string _, string error) = await CliRun.InvokeAsync("generate", "-m", "no-such-model", "-p", "Hi");

        Assert.Equal(1, code);
        Assert.StartsWith("pad: Model 'no-such-model' was not found", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ATruncatedCheckpointIsOneClearLineWithoutAStackTrace()
    {
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(TestData.StoriesFolder, "stories260K.bin"));
        File.WriteAllBytes(Path.Combine(_folder, "stories260K.bin"), checkpoint[..(checkpoint.Length / 2)]);
        File.Copy(Path.Combine(TestData.StoriesFolder, "tok512.bin"), Path.Combine(_folder, "tok512.bin"));

        (int code, string _, string error) = await CliRun.InvokeAsync("generate", "-m", _folder, "-p", "Hi");

        Assert.Equal(1, code);
        Assert.Contains("stories260K.bin", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task APromptLongerThanTheContextIsRejected()
    {
        (int code, string _, string error) = await CliRun.InvokeAsync("generate", "-m", TestData.StoriesFolder, "-p", string.Join(' ', Enumerable.Repeat("elephant", 400)));

        Assert.Equal(1, code);
        Assert.Contains("context length is 512", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MismatchedWeightsAreRejected()
    {
        (int code, string _, string error) = await CliRun.InvokeAsync("generate", "-m", TestData.StoriesFolder, "-p", "Hi", "--preference", "a", "--preference", "b", "--preference", "c", "-w", "1", "-w", "2");

        Assert.Equal(1, code);
        Assert.Contains("one --weight for all preferences or one per --preference", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
