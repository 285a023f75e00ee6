namespace PadKernel.Cli.Tests;

public sealed class CompareAndBenchTests
{
    [Fact]
    public async Task CompareShowsBothTextsSideBySide()
    {
        (int code, string output, string error) = await CliRun.InvokeAsync("compare", "-m", TestData.StoriesFolder, "-p", "Once upon a time", "--preference", "The story is about a dog named Max.", "-w", "4", "-n", "60");

        Assert.True(code == 0, error);
        Assert.Contains("without preference", output, StringComparison.Ordinal);
        Assert.Contains("Max", output, StringComparison.Ordinal);
        Assert.Contains("Lily", output, StringComparison.Ordinal);
        Assert.Contains("tokens not shared with the other text", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CommonTokensFollowTheLongestCommonSubsequence()
    {
        (bool[] left, bool[] right) = Commands.CompareCommand.CommonTokens([1, 2, 3, 4, 5], [1, 9, 3, 4, 7, 5]);

        Assert.Equal([true, false, true, true, true], left);
        Assert.Equal([true, false, true, true, false, true], right);
    }

    [Fact]
    public async Task BenchReportsPlainAndPadRows()
    {
        (int code, string output, string error) = await CliRun.InvokeAsync("bench", "-m", TestData.StoriesFolder, "-n", "40", "--runs", "1");

        Assert.True(code == 0, error);
        Assert.Contains("plain", output, StringComparison.Ordinal);
        Assert.Contains("PAD, 1 preference", output, StringComparison.Ordinal);
        Assert.Contains("PAD, 3 preferences", output, StringComparison.Ordinal);
        Assert.Contains("1.00x", output, StringComparison.Ordinal);
    }
}
