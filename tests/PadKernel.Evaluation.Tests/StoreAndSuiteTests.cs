using PadKernel.Evaluation.Running;
using PadKernel.Evaluation.Suites;

namespace PadKernel.Evaluation.Tests;

public sealed class StoreAndSuiteTests : IDisposable
{
    private static readonly EvalFingerprint Fingerprint = new("m", null, "s", "abc", 16, 0, 1);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "padkernel-eval-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void StoreKeepsRecordsAcrossRunsAndCutsAnUnfinishedLine()
    {
        IReadOnlyList<EvalRecord> records = SyntheticResults.Records();
        using (EvalResultStore store = EvalResultStore.Open(_dir, Fingerprint))
        {
            store.Add(records[0]);
            store.Add(records[1]);
        }

        // A run killed in the middle of a write leaves half a line.
        string path = Path.Combine(_dir, EvalResultStore.ResultsFileName);
        File.AppendAllText(path, "{\"method\":\"base\",\"kin");

        using (EvalResultStore resumed = EvalResultStore.Open(_dir, Fingerprint))
        {
            Assert.Equal(2, resumed.Records.Count);
            Assert.True(resumed.Contains(records[1].CellKey));
            Assert.Equal(records[1].Adherence, resumed.Find(records[1].CellKey)!.Adherence);
            Assert.Equal(records[1].Judges["j"], resumed.Find(records[1].CellKey)!.Judges["j"]);
            resumed.Add(records[2]);
        }

        Assert.Equal(3, EvalResultStore.ReadRecords(path).Count);
    }

    [Fact]
    public void StoreRefusesResultsOfOtherSettings()
    {
        using (EvalResultStore store = EvalResultStore.Open(_dir, Fingerprint))
        {
            store.Add(SyntheticResults.Records()[0]);
        }

        EvalStoreException e = Assert.Throws<EvalStoreException>(() => EvalResultStore.Open(_dir, Fingerprint with { MaxTokens = 32 }));
        Assert.Contains("other settings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedSuiteHasTwentyPromptsAndSixKindsOfPreference()
    {
        EvalSuite suite = EvalSuiteLoader.Load(Path.Combine(AppContext.BaseDirectory, "suites", "stories.json"));
        Assert.True(suite.Prompts.Count >= 20);
        Assert.True(suite.Preferences.Count >= 6);
        Assert.Equal(suite.Prompts.Count, suite.Prompts.Distinct().Count());
        foreach (string kind in new[] { "topic", "mood", "character", "style" })
        {
            Assert.Contains(suite.Preferences, p => p.Kind == kind);
        }

        var factory = new Judges.JudgeFactory();
        Assert.All(suite.Preferences, p => Assert.All(p.Judges, j => Assert.NotNull(factory.Create(j, p.Id))));
    }

    [Theory]
    [InlineData("{ \"name\": \"x\", \"prompts\": [\"a\"], ", "not valid JSON")]
    [InlineData("{ \"name\": \"x\", \"prompts\": [], \"preferences\": [] }", "at least one prompt")]
    [InlineData("{ \"name\": \"x\", \"prompts\": [\"a\"], \"preferences\": [ { \"id\": \"p\", \"text\": \"t\", \"judges\": [ { \"type\": \"vibes\" } ] } ] }", "unknown type 'vibes'")]
    [InlineData("{ \"name\": \"x\", \"prompts\": [\"a\"], \"preferences\": [ { \"id\": \"p\", \"text\": \"t\", \"judges\": [ { \"type\": \"length\", \"best\": 3, \"worst\": 3 } ] } ] }", "two different")]
    public void BadSuitesAreRefusedWithAClearMessage(string json, string message)
    {
        EvalSuiteException e = Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Parse(json));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatJudgeWithoutAClientIsRefused()
    {
        EvalSuite suite = EvalSuiteLoader.Parse("{ \"name\": \"x\", \"prompts\": [\"a\"], \"preferences\": [ { \"id\": \"p\", \"text\": \"t\", \"judges\": [ { \"type\": \"chat\" } ] } ] }");
        Assert.Throws<EvalSuiteException>(() => new Judges.JudgeFactory().Create(suite.Preferences[0].Judges[0], "p"));
    }
}
