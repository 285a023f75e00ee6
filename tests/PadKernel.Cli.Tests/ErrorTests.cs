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
        Assert.Equal("pad: 2 --weight values for 3 --preference values: give one --weight for all preferences, or one per --preference.", error.TrimEnd());
    }

    // Each bad command line, and what its one error line must name.
    [Theory]
    [InlineData("--preference|", "--preference")]
    [InlineData("-w|abc|--preference|x", "--weight takes a number (got 'abc')")]
    [InlineData("-n|many", "--max-tokens takes a whole number (got 'many')")]
    [InlineData("-n|0", "--max-tokens must be at least 1 (got 0)")]
    [InlineData("-k|0|--preference|x", "--top-k must be at least 1 (got 0)")]
    [InlineData("-t|-1", "--temperature must be a number ≥ 0")]
    [InlineData("--top-p|3", "--top-p must be in (0, 1] (got 3)")]
    [InlineData("--repetition-penalty|0", "--repetition-penalty must be a number > 0")]
    [InlineData("-w|nan|--preference|x", "--weight must be a finite number (got nan)")]
    [InlineData("-w|4", "--weight weighs a preference, and none was given")]
    [InlineData("--preference|a\u0000b", "'--preference' holds the control character U+0000 at position 1")]
    [InlineData("--trace|some", "--trace takes 'all' (every step) or nothing")]
    [InlineData("--reward-model|no-such-rm|--preference|x", "pass --reward-model the path")]
    public async Task BadOptions_AreOneLineInPlainWords_NamingTheOption_WithoutDotNetNames(string extra, string expected)
    {
        (int code, string output, string error) = await CliRun.InvokeAsync(["generate", "-m", TestData.StoriesFolder, "-p", "Hi", .. extra.Split('|')]);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("pad: ", error, StringComparison.Ordinal);
        foreach (string leak in new[] { "(Parameter", "System.", "expected type", "Actual value", "Exception", "Usage:" })
        {
            Assert.DoesNotContain(leak, error, StringComparison.Ordinal);
        }

        // The error, and for a command-line mistake one line pointing to --help; never the whole help.
        Assert.InRange(error.TrimEnd().Split('\n').Length, 1, 2);
    }

    [Theory]
    [InlineData("bench|-n|0", "--tokens must be at least 1 (got 0)")]
    [InlineData("bench|--runs|0", "--runs must be at least 1 (got 0)")]
    [InlineData("eval|--suite|SUITE|--out|OUT|-k|0", "--top-k takes comma-separated whole numbers ≥ 1")]
    [InlineData("eval|--suite|SUITE|--out|OUT|--weights|1,x", "--weights takes comma-separated numbers ≥ 0")]
    [InlineData("eval|--suite|SUITE|--out|OUT|--samples|0", "--samples must be at least 1 (got 0)")]
    [InlineData("eval|--suite|SUITE|--out|OUT|-n|0", "--max-tokens must be at least 1 (got 0)")]
    [InlineData("eval|--suite|SUITE|--out|OUT|-t|-1", "--temperature must be a number ≥ 0")]
    [InlineData("eval|--suite|SUITE|--out|OUT|--prompts|0", "--prompts must be at least 1 (got 0)")]
    public async Task OtherCommands_BadOptions_NameTheOption_WithoutDotNetNames(string args, string expected)
    {
        string suite = Path.Combine(TestData.RepositoryRoot, "samples", "suites", "stories.json");
        (int code, _, string error) = await CliRun.InvokeAsync([.. args.Replace("SUITE", suite, StringComparison.Ordinal).Replace("OUT", _folder, StringComparison.Ordinal).Split('|')]);

        Assert.Equal(1, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
        Assert.DoesNotContain("('0')", error, StringComparison.Ordinal);
        Assert.InRange(error.TrimEnd().Split('\n').Length, 1, 2);
    }

    [Theory]
    [InlineData("generate|--preferenc|x", "unknown option '--preferenc'; did you mean '--preference'?", "pad generate --help")]
    [InlineData("generate|--Max-Tokens|5", "unknown option '--Max-Tokens'; did you mean '--max-tokens'?", "pad generate --help")]
    [InlineData("genrate|-p|Hi", "unknown command 'genrate'; did you mean 'generate'?", "pad --help")]
    [InlineData("models|lsit", "unknown command 'lsit'; did you mean 'list'?", "pad models --help")]
    public async Task ATypo_PrintsTheSuggestionAndOneLinePointingToHelp(string args, string suggestion, string help)
    {
        (int code, string output, string error) = await CliRun.InvokeAsync(args.Split('|'));

        Assert.Equal(1, code);
        Assert.Empty(output);
        string[] lines = error.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal($"pad: {suggestion}", lines[0]);
        Assert.Equal($"Run '{help}' to see its options.", lines[1]);
    }

    [Fact]
    public async Task ModelNames_IgnoreCase_AndANearMissSuggestsTheModel()
    {
        (int code, string output, string error) = await CliRun.InvokeAsync("generate", "-m", "STORIES260k", "-p", "Once upon a time", "-n", "8");
        Assert.True(code == 0, error);
        (_, string expected, _) = await CliRun.InvokeAsync("generate", "-m", TestData.StoriesFolder, "-p", "Once upon a time", "-n", "8");
        Assert.Equal(expected, output);

        (code, _, error) = await CliRun.InvokeAsync("generate", "-m", "storis260K", "-p", "Once upon a time", "-n", "8");
        Assert.Equal(1, code);
        Assert.Contains("did you mean 'stories260K'?", error, StringComparison.Ordinal);
        Assert.DoesNotContain("models pull storis260K", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptFileFromStandardInput_DropsTheTrailingLineBreak()
    {
        (int code, string piped, string error) = await CliRun.ProcessAsync(_folder, _folder, ["generate", "--prompt-file", "-", "-n", "10", "--json"], "Once upon a time\n");
        Assert.True(code == 0, error);
        (_, string given, _) = await CliRun.InvokeAsync("generate", "--prompt", "Once upon a time", "-n", "10", "--json");

        Assert.Equal(given.ReplaceLineEndings(), piped.ReplaceLineEndings());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
