using Xunit.Abstractions;

namespace PadKernel.Tokenizers.Tests;

/// <summary>
/// Differential proof against npm's <c>@huggingface/tokenizers</c>: identical ids and identical decoded text for
/// every corpus line and every fixture tokenizer.
/// </summary>
public sealed class ReferenceComparisonTests(ITestOutputHelper output)
{
    private static readonly Lazy<Dictionary<string, ReferenceResult>> Results = new(() =>
        NodeReference.Encode(
            TestPaths.FixtureNames.Select(TestPaths.Model).ToArray(),
            [.. Corpus.Plain, .. Corpus.SpecialLooking]));

    public static TheoryData<string> Fixtures => new(TestPaths.FixtureNames);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void PlainText_SameIdsAndTextAsReference(string fixture)
    {
        string folder = TestPaths.Model(fixture);
        var tokenizer = TestPaths.Tokenizer(fixture);
        ReferenceResult reference = Results.Value[folder];
        string[] texts = [.. Corpus.Plain, .. Corpus.SpecialLooking];
        var failures = new List<string>();
        for (int i = 0; i < texts.Length; i++)
        {
            // "plain" is the reference with control tokens not matched in text: exactly our contract.
            ReferenceEncoding expected = reference.Plain[i];
            List<int> ids = tokenizer.Encode(texts[i]);
            string decoded = tokenizer.Decode(ids.ToArray());
            if (!ids.SequenceEqual(expected.Ids))
            {
                failures.Add($"line {i} {TestFormat.Show(texts[i])}: ids\n  ours [{TestFormat.Ids(ids)}]\n  ref  [{TestFormat.Ids(expected.Ids)}]");
            }
            else if (decoded != expected.Decoded)
            {
                failures.Add($"line {i} {TestFormat.Show(texts[i])}: decoded {TestFormat.Show(decoded)} != reference {TestFormat.Show(expected.Decoded)}");
            }
            else if (decoded != texts[i])
            {
                failures.Add($"line {i} {TestFormat.Show(texts[i])}: round trip gave {TestFormat.Show(decoded)}");
            }
        }

        output.WriteLine($"{fixture}: {texts.Length - failures.Count}/{texts.Length} lines identical to @huggingface/tokenizers");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TokenizerAsShipped_AgreesOnPlainLines_AndDiffersOnlyWhereTextLooksLikeAControlToken(string fixture)
    {
        string folder = TestPaths.Model(fixture);
        var tokenizer = TestPaths.Tokenizer(fixture);
        ReferenceResult reference = Results.Value[folder];

        for (int i = 0; i < Corpus.Plain.Length; i++)
        {
            Assert.Equal(reference.Reference[i].Ids, tokenizer.Encode(Corpus.Plain[i]));
        }

        // The shipped reference turns "</s>" / "<|endoftext|>" in text into the control id; we deliberately never do.
        int differing = 0;
        for (int j = 0; j < Corpus.SpecialLooking.Length; j++)
        {
            int[] shipped = reference.Reference[Corpus.Plain.Length + j].Ids;
            List<int> ours = tokenizer.Encode(Corpus.SpecialLooking[j]);

            // With the control tokens skipped (as the reference skips them), the reference's ids decode to its text.
            Assert.Equal(reference.Reference[Corpus.Plain.Length + j].Decoded, tokenizer.Decode(shipped.Where(id => !tokenizer.IsSpecialToken(id)).ToArray()));
            Assert.DoesNotContain(ours, tokenizer.IsSpecialToken);
            if (shipped.Any(tokenizer.IsSpecialToken))
            {
                differing++;
                Assert.NotEqual(shipped, ours);
            }
            else
            {
                Assert.Equal(shipped, ours);
            }
        }

        output.WriteLine($"{fixture}: {differing}/{Corpus.SpecialLooking.Length} special-looking lines become control ids in the shipped reference, none in ours");
        Assert.True(differing > 0, "the special-looking corpus should exercise the difference");
    }
}
