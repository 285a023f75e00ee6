using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>KV cache, batching and rewind give the same logits as plain full forwards, on every fixture model.</summary>
public sealed class MechanicsTests
{
    public static TheoryData<string> Models() => [TestModels.Stories, TestModels.Gpt2, TestModels.LlamaFp16];

    [Theory]
    [MemberData(nameof(Models))]
    public void PrefillThenIncrementalStepsEqualOneFullForward(string name)
    {
        OnnxModel model = TestModels.Get(name);
        int[] tokens = Tokens(model, 12, seed: 1);

        using IModelSequence stepwise = model.CreateSequence();
        stepwise.Append(tokens.AsSpan(0, 4));
        for (int i = 4; i < tokens.Length; i++)
        {
            stepwise.Append(tokens.AsSpan(i, 1));
        }

        using IModelSequence full = model.CreateSequence();
        full.Append(tokens);

        Assert.Equal(tokens.Length, stepwise.Length);
        AssertClose(full.Logits, stepwise.Logits, Tolerance(model), $"{name}: incremental vs full forward");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void BatchOfDifferentLengthsEqualsEachSequenceAlone(string name)
    {
        // A private instance: the run counter must not move with tests running in parallel on the shared models.
        using OnnxModel model = OnnxModel.Load(TestModels.Path(name));
        int[] lengths = [3, 9, 6];
        int[][] prompts = lengths.Select((n, i) => Tokens(model, n, seed: 10 + i)).ToArray();
        int[][] continuations = lengths.Select((_, i) => Tokens(model, 4, seed: 20 + i)).ToArray();

        IModelSequence[] batched = prompts.Select(p => Prefilled(model, p)).ToArray();
        IModelSequence[] alone = prompts.Select(p => Prefilled(model, p)).ToArray();
        try
        {
            for (int step = 0; step < 4; step++)
            {
                long runs = model.RunCount;
                int[] next = continuations.Select(c => c[step]).ToArray();
                model.DecodeBatch(batched, next);
                Assert.Equal(runs + 1, model.RunCount);
                for (int i = 0; i < alone.Length; i++)
                {
                    alone[i].Append([next[i]]);
                    Assert.Equal(alone[i].Length, batched[i].Length);
                    AssertClose(alone[i].Logits, batched[i].Logits, Tolerance(model), $"{name}: sequence {i}, step {step}");
                }
            }

            // Leaving the steady batch: another order, a single append and a rewind all read the batch's kept presents.
            IModelSequence[] reordered = [batched[2], batched[0]];
            model.DecodeBatch(reordered, [7, 8]);
            alone[2].Append([7]);
            alone[0].Append([8]);
            AssertClose(alone[2].Logits, batched[2].Logits, Tolerance(model), $"{name}: reordered batch, sequence 2");
            AssertClose(alone[0].Logits, batched[0].Logits, Tolerance(model), $"{name}: reordered batch, sequence 0");

            batched[1].Append([9]);
            alone[1].Append([9]);
            AssertClose(alone[1].Logits, batched[1].Logits, Tolerance(model), $"{name}: append after batch");

            batched[2].Rewind(5);
            alone[2].Rewind(5);
            model.DecodeBatch(batched, [10, 11, 12]);
            for (int i = 0; i < alone.Length; i++)
            {
                alone[i].Append([10 + i]);
                AssertClose(alone[i].Logits, batched[i].Logits, Tolerance(model), $"{name}: after rewind, sequence {i}");
            }
        }
        finally
        {
            foreach (IModelSequence sequence in batched.Concat(alone))
            {
                sequence.Dispose();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void RewindThenAppendEqualsTheOriginal(string name)
    {
        OnnxModel model = TestModels.Get(name);
        int[] tokens = Tokens(model, 10, seed: 3);
        using IModelSequence sequence = model.CreateSequence();
        sequence.Append(tokens);
        float[] original = sequence.Logits.ToArray();

        sequence.Rewind(6);
        Assert.False(sequence.HasLogits);
        Assert.Equal(6, sequence.Length);
        sequence.Append(tokens.AsSpan(6));

        AssertClose(original, sequence.Logits, Tolerance(model), $"{name}: rewind");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void LogitsEqualOnnxRuntimeJavaScriptBinding(string name)
    {
        OnnxModel model = TestModels.Get(name);
        int[][] sequences = [Tokens(model, 7, seed: 5), Tokens(model, 2, seed: 6)];
        float[][] reference = NodeReference.LastLogits(model.Folder, sequences);

        for (int i = 0; i < sequences.Length; i++)
        {
            using IModelSequence sequence = model.CreateSequence();
            sequence.Append(sequences[i].AsSpan(0, 1));
            for (int t = 1; t < sequences[i].Length; t++)
            {
                sequence.Append(sequences[i].AsSpan(t, 1));
            }

            AssertClose(reference[i], sequence.Logits, Tolerance(model), $"{name}: sequence {i} vs onnxruntime-node");
        }
    }

    [Fact]
    public void MetadataDrivesElementTypesAndLayout()
    {
        OnnxModel gpt2 = TestModels.Get(TestModels.Gpt2);
        Assert.Equal(TensorElementType.Int32, gpt2.Inputs.Single(i => i.Name == "input_ids").ElementType);
        Assert.Equal(2, gpt2.Binding.Planes);
        Assert.Equal(TensorElementType.Float, gpt2.Binding.CacheType);
        Assert.Equal("gpt2", gpt2.Info.Family);

        OnnxModel llama = TestModels.Get(TestModels.LlamaFp16);
        Assert.Equal(TensorElementType.Int64, llama.Binding.InputIdsType);
        Assert.Equal(1, llama.Binding.Planes);
        Assert.Equal(TensorElementType.Float16, llama.Binding.CacheType);
        Assert.Equal(TensorElementType.Float16, llama.Binding.LogitsType);

        OnnxModel stories = TestModels.Get(TestModels.Stories);
        Assert.Equal("onnxruntime", stories.Info.Runtime);
        Assert.Equal("llama", stories.Info.Family);
        Assert.False(stories.Info.IsChatModel);
        Assert.Equal(512, stories.Info.VocabularySize);
        Assert.Equal([2], stories.Info.EosTokenIds);
        Assert.Equal(1, stories.Info.BosTokenId);
    }

    internal static int[] Tokens(OnnxModel model, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(3, model.Info.VocabularySize)).ToArray();
    }

    private static IModelSequence Prefilled(OnnxModel model, int[] prompt)
    {
        IModelSequence sequence = model.CreateSequence();
        sequence.Append(prompt);
        return sequence;
    }

    private static float Tolerance(OnnxModel model) => model.Binding.CacheType == TensorElementType.Float16 ? 2e-3f : 1e-4f;

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = MathF.Abs(expected[i] - actual[i]);
            float allowed = tolerance * Math.Max(1f, MathF.Abs(expected[i]));
            if (!(difference <= allowed) && difference > worst)
            {
                worst = difference;
                at = i;
            }
        }

        Assert.True(at < 0, $"{what}: logit {at} differs by {worst} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}).");
    }
}
