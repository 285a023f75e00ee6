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
        Assert.Equal(0, model.CreateSequence().Length);

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
    public void RowsOfABatchedGeneratorEqualEachSequenceAloneOverAWholeGeneration(string name)
    {
        // A private instance: the run counter must not move with tests running in parallel on the shared models.
        using OnnxModel model = OnnxModel.Load(TestModels.Path(name), TestModels.Options(name));
        int[] lengths = [3, 12, 6];
        int[][] prompts = lengths.Select((n, i) => Tokens(model, n, seed: 10 + i)).ToArray();
        int steps = Math.Min(200, model.Info.ContextLength - 13);

        IModelSequence[] batched = prompts.Select(_ => model.CreateSequence()).ToArray();
        IModelSequence[] alone = prompts.Select(p => Prefilled(model, p)).ToArray();
        try
        {
            long runs = model.RunCount;
            model.Prefill(batched, prompts);
            Assert.Equal(runs + 1, model.RunCount);
            for (int step = 0; step < steps; step++)
            {
                // Each row continues greedily from its own logits, so a drift in any row changes its whole future.
                int[] next = alone.Select(a => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(a.Logits)).ToArray();
                for (int i = 0; i < alone.Length; i++)
                {
                    AssertClose(alone[i].Logits, batched[i].Logits, Tolerance(model), $"{name}: row {i}, step {step}");
                }

                runs = model.RunCount;
                model.DecodeBatch(batched, next);
                Assert.Equal(runs + 1, model.RunCount);
                for (int i = 0; i < alone.Length; i++)
                {
                    alone[i].Append([next[i]]);
                    Assert.Equal(alone[i].Length, batched[i].Length);
                }
            }

            // Rows advance together: one row alone is a clear error, not a silently desynchronised cache.
            Assert.Throws<InvalidOperationException>(() => model.DecodeBatch(batched[..2], [1, 2]));
            Assert.Throws<InvalidOperationException>(() => batched[0].Append([1]));
        }
        finally
        {
            foreach (IModelSequence sequence in batched.Concat(alone))
            {
                sequence.Dispose();
            }
        }
    }

    [Fact]
    public void StepsThroughAnEndOfSequenceIdKeepTheTokensAsForced()
    {
        // GenAI's own search would mark a row done at EOS and pad it from then on; PadKernel decides when text ends
        // (IgnoreEndOfSequence keeps going), so a forced EOS must reach the KV cache like any other token.
        OnnxModel model = TestModels.Get(TestModels.Stories);
        int eos = model.Info.EosTokenIds[0];
        int[] tokens = [1, 403, 407, 261, 378, eos, 300, 301, eos, 302];

        using IModelSequence stepped = model.CreateSequence();
        stepped.Append(tokens.AsSpan(0, 5));
        for (int i = 5; i < tokens.Length; i++)
        {
            model.DecodeBatch([stepped], [tokens[i]]);
        }

        using IModelSequence whole = model.CreateSequence();
        whole.Append(tokens);
        AssertClose(whole.Logits, stepped.Logits, Tolerance(model), "after forced EOS");

        // The same through two rows of one batched generator (PAD's case), rows of different lengths.
        IModelSequence[] rows = [model.CreateSequence(), model.CreateSequence()];
        try
        {
            model.Prefill(rows, [tokens[..5], tokens[..3]]);
            for (int i = 5; i < tokens.Length; i++)
            {
                model.DecodeBatch(rows, [tokens[i], tokens[i]]);
            }

            AssertClose(whole.Logits, rows[0].Logits, Tolerance(model), "row 0 after forced EOS");
            using IModelSequence shorter = model.CreateSequence();
            shorter.Append([.. tokens[..3], .. tokens[5..]]);
            AssertClose(shorter.Logits, rows[1].Logits, Tolerance(model), "row 1 after forced EOS");
        }
        finally
        {
            rows[0].Dispose();
            rows[1].Dispose();
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

    private static float Tolerance(OnnxModel model) => model.Info.ModelId == TestModels.LlamaFp16 ? 2e-3f : 1e-4f;

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
