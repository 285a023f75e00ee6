using Xunit.Abstractions;

namespace PadKernel.Tokenizers.Tests;

/// <summary>
/// Differential proof for the family members without a fixture model (Llama 3 / Qwen 2 style regex Split +
/// ByteLevel, ByteLevel with a prefix space, Metaspace pre-tokenizer and decoder) against @huggingface/tokenizers.
/// </summary>
public sealed class VariantComparisonTests(TokenizerVariants variants, ITestOutputHelper output) : IClassFixture<TokenizerVariants>
{
    public static TheoryData<string> Names => new("llama3-style", "qwen2-style", "o200k-style", "gpt2-prefix-space", "llama2-added-token", "metaspace-first", "metaspace-always");

    [Theory]
    [MemberData(nameof(Names))]
    public void Variant_SameIdsAndTextAsReference(string name)
    {
        var tokenizer = HuggingFaceTokenizer.Load(variants.Folders[name]);
        ReferenceResult reference = variants.Reference(name);
        var failures = new List<string>();
        for (int i = 0; i < Corpus.Plain.Length; i++)
        {
            string text = Corpus.Plain[i];
            List<int> ids = tokenizer.Encode(text);
            string decoded = tokenizer.Decode(ids.ToArray());
            if (!ids.SequenceEqual(reference.Plain[i].Ids))
            {
                failures.Add($"line {i} {TestFormat.Show(text)}: ids\n  ours [{TestFormat.Ids(ids)}]\n  ref  [{TestFormat.Ids(reference.Plain[i].Ids)}]");
            }
            else if (decoded != reference.Plain[i].Decoded)
            {
                failures.Add($"line {i} {TestFormat.Show(text)}: decoded {TestFormat.Show(decoded)} != reference {TestFormat.Show(reference.Plain[i].Decoded)}");
            }
        }

        output.WriteLine($"{name}: {Corpus.Plain.Length - failures.Count}/{Corpus.Plain.Length} lines identical to @huggingface/tokenizers");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("llama3-style")]
    [InlineData("qwen2-style")]
    [InlineData("o200k-style")]
    [InlineData("gpt2-prefix-space")]
    [InlineData("metaspace-first")]
    public void Variant_PreTokenizesIntoTheSameWordsAsReference(string name)
    {
        // Words before BPE: catches regex differences (e.g. astral letters/digits) that a vocabulary may hide.
        var tokenizer = HuggingFaceTokenizer.Load(variants.Folders[name]);
        ReferenceResult reference = variants.Reference(name);
        for (int i = 0; i < Corpus.Plain.Length; i++)
        {
            Assert.Equal(reference.Pieces[i], tokenizer.PreTokenize(Corpus.Plain[i]));
        }
    }

    [Fact]
    public void Llama3Style_TakesBosFromTheNestedTemplatePostProcessor()
    {
        // The variant folder has no tokenizer_config.json: BOS comes from tokenizer.json alone.
        var tokenizer = HuggingFaceTokenizer.Load(variants.Folders["llama3-style"]);
        Assert.True(tokenizer.AddBosToken);
        Assert.Equal(50256, tokenizer.BosTokenId);
        Assert.Null(tokenizer.EosTokenId);
    }
}
