using System.Text.RegularExpressions;
using Xunit;

namespace PadKernel.Testing;

/// <summary>
/// Keeps documentation snippets compiled: every <c>```csharp</c> block of a Markdown file must appear, line for line
/// (indentation aside), in one of the given source files, which a test project or sample compiles (and usually runs).
/// </summary>
internal static partial class DocSnippets
{
    /// <summary>Fails naming the first C# block of <paramref name="markdown"/> (repository-relative) that no source file holds.</summary>
    /// <param name="markdown">The Markdown file, relative to the repository root.</param>
    /// <param name="include">Which blocks to check (all when null).</param>
    /// <param name="sources">The compiled files, relative to the repository root.</param>
    public static void AssertCompiled(string markdown, Func<string, bool>? include, params string[] sources)
    {
        string[][] code = sources.Select(s => Lines(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, s)))).ToArray();
        MatchCollection blocks = CSharpBlock().Matches(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, markdown)));
        Assert.NotEmpty(blocks);
        int checkedBlocks = 0;
        foreach (Match block in blocks)
        {
            string snippet = block.Groups[1].Value;
            if (include is not null && !include(snippet))
            {
                continue;
            }

            string[] lines = Lines(snippet);
            Assert.True(code.Any(file => Contains(file, lines)), $"{markdown}: this C# block is in none of {string.Join(", ", sources)}:\n{snippet}");
            checkedBlocks++;
        }

        Assert.True(checkedBlocks > 0, $"{markdown}: no C# block was checked.");
    }

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    private static bool Contains(string[] file, string[] lines)
    {
        for (int start = 0; start + lines.Length <= file.Length; start++)
        {
            if (file.AsSpan(start, lines.Length).SequenceEqual(lines))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
