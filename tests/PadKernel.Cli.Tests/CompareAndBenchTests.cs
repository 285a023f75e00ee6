using System.Text.Json;
using PadKernel.Cli.Output;

namespace PadKernel.Cli.Tests;

public sealed class CompareAndBenchTests
{
    private static readonly string[] Compare =
        ["compare", "-m", TestData.StoriesFolder, "-p", "Once upon a time", "--preference", "The story is about a dog named Max.", "-w", "4", "-n", "60"];

    [Fact]
    public async Task CompareShowsBothTextsSideBySide()
    {
        (int code, string output, string error) = await CliRun.InvokeAsync(Compare);

        Assert.True(code == 0, error);
        Assert.Contains("without preference", output, StringComparison.Ordinal);
        Assert.Contains("│ Once upon a time, there was a little girl named Lily.", output, StringComparison.Ordinal);
        Assert.Contains("│ Once upon a time, a little bird came by", output, StringComparison.Ordinal);
        Assert.Contains("tokens not shared with the other text", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_WrapsEachTextAtWordBoundaries()
    {
        (int code, string output, string error) = await CliRun.InvokeAsync(Compare);
        Assert.True(code == 0, error);

        // The texts as generate writes them: every word of a table line is a whole word of its text.
        string[] plain = ["generate", "-m", TestData.StoriesFolder, "-p", "Once upon a time", "-n", "60", "--json"];
        string[] texts = await Task.WhenAll(new[] { plain, ["generate", .. Compare[1..], "--json"] }.Select(async args =>
        {
            (_, string json, _) = await CliRun.InvokeAsync(args);
            using JsonDocument document = JsonDocument.Parse(json);
            return "Once upon a time" + document.RootElement.GetProperty("text").GetString();
        }));
        var rows = output.Split('\n').Where(l => l.StartsWith('│') && !l.Contains("without preference", StringComparison.Ordinal)).ToArray();
        Assert.True(rows.Length >= 3, output);
        for (int column = 0; column < 2; column++)
        {
            HashSet<string> words = [.. texts[column].Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)];
            foreach (string row in rows)
            {
                string cell = row.Split('│')[column + 1];
                Assert.All(cell.Split(' ', StringSplitOptions.RemoveEmptyEntries), word => Assert.Contains(word, words));
            }
        }
    }

    [Fact]
    public void WordHighlighter_HighlightsWholeWords_AndWrapsBetweenThem()
    {
        // " Max" came from two tokens, only the second of which differs: the whole word is highlighted, not the space
        // before it; the space between two highlighted words is, so a changed phrase is one block.
        string[] pieces = ["Once upon a time,", " M", "ax", " went", " far away", " home."];
        bool[] changed = [false, false, true, false, true, false];

        IReadOnlyList<string> lines = WordHighlighter.Lines(pieces, changed, width: 22, style: "u");

        Assert.Equal(["Once upon a time, [u]Max[/]", "went [u]far away[/] home."], lines);
        Assert.Equal(["abcdefghij", "klm"], WordHighlighter.Lines(["abcdefghijklm"], [false], width: 10));
        Assert.Equal(["one", "", "two"], WordHighlighter.Lines(["one\n\ntwo"], [false], width: 10));
    }

    [Fact]
    public void CommonTokensFollowTheLongestCommonSubsequence()
    {
        (bool[] left, bool[] right) = CommonSubsequence.Mark<int>([1, 2, 3, 4, 5], [1, 9, 3, 4, 7, 5]);

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
