using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Llama2c.Tests;

public sealed class ModelTests
{
    private static Llama2cModel Model => Stories260K.Model;

    [Fact]
    public void InfoDescribesStories260K()
    {
        ModelInfo info = Model.Info;
        Assert.Equal("stories260K", info.ModelId);
        Assert.Equal(512, info.VocabularySize);
        Assert.Equal(512, info.ContextLength);
        Assert.Equal(1, info.BosTokenId);
        Assert.Equal([2], info.EosTokenIds);
        Assert.Equal("llama", info.Family);
        Assert.Equal("llama2c", info.Runtime);
        Assert.False(info.IsChatModel);
        Assert.Equal(512, Model.Tokenizer.VocabularySize);
        Assert.Equal(new Llama2cConfig { Dim = 64, HiddenDim = 172, Layers = 5, Heads = 8, KvHeads = 4, VocabularySize = 512, SequenceLength = 512, SharedClassifier = true }, Model.Config);
    }

    [Fact]
    public void PrefillGivesTheSameLogitsAsTokenByToken()
    {
        int[] ids = [1, .. Model.Tokenizer.Encode("Once upon a time, there was a big dog.")];
        using IModelSequence prefilled = Model.CreateSequence();
        prefilled.Append(ids);

        using IModelSequence stepped = Model.CreateSequence();
        foreach (int id in ids)
        {
            stepped.Append([id]);
        }

        Assert.Equal(ids.Length, prefilled.Length);
        Assert.Equal(ids.Length, stepped.Length);
        Assert.Equal(prefilled.Logits.ToArray(), stepped.Logits.ToArray());
    }

    [Theory]
    [InlineData(Llama2cBatchThreading.Serial)]
    [InlineData(Llama2cBatchThreading.Split)]
    public void BatchOfDifferentLengthsEqualsEachSequenceAloneExactly(Llama2cBatchThreading threading)
    {
        using Llama2cModel model = Stories260K.Load(new Llama2cModelOptions { BatchThreading = threading });
        string[] prompts = ["Once upon a time", "The dog", "Lily went to the park with her mom and dad.", "Tom had a red ball"];
        int[] next = [300, 400, 13, 261];
        var batch = new IModelSequence[prompts.Length];
        var alone = new IModelSequence[prompts.Length];
        try
        {
            for (int i = 0; i < prompts.Length; i++)
            {
                int[] ids = [1, .. model.Tokenizer.Encode(prompts[i])];
                batch[i] = model.CreateSequence();
                batch[i].Append(ids);
                alone[i] = model.CreateSequence();
                alone[i].Append(ids);
            }

            for (int step = 0; step < 40; step++)
            {
                model.DecodeBatch(batch, next);
                for (int i = 0; i < prompts.Length; i++)
                {
                    alone[i].Append([next[i]]);
                    Assert.Equal(alone[i].Length, batch[i].Length);
                    Assert.Equal(alone[i].Logits.ToArray(), batch[i].Logits.ToArray());
                }
            }

            // Odd-sized and single-sequence batches take other paths through the kernels.
            model.DecodeBatch(batch.AsSpan(0, 3), next.AsSpan(0, 3));
            model.DecodeBatch(batch.AsSpan(3, 1), next.AsSpan(3, 1));
            for (int i = 0; i < prompts.Length; i++)
            {
                alone[i].Append([next[i]]);
                Assert.Equal(alone[i].Logits.ToArray(), batch[i].Logits.ToArray());
            }
        }
        finally
        {
            foreach (IModelSequence? s in batch.Concat(alone))
            {
                s?.Dispose();
            }
        }
    }

    [Fact]
    public void RewindThenReappendGivesTheSameLogits()
    {
        int[] ids = [1, .. Model.Tokenizer.Encode("The cat sat on the mat and")];
        using IModelSequence sequence = Model.CreateSequence();
        sequence.Append(ids);
        float[] expected = sequence.Logits.ToArray();

        sequence.Append([300, 301, 302]);
        sequence.Rewind(ids.Length - 2);
        Assert.False(sequence.HasLogits);
        Assert.Throws<InvalidOperationException>(() => sequence.Logits.ToArray());
        Assert.Equal(ids.Length - 2, sequence.Length);

        sequence.Append(ids.AsSpan(ids.Length - 2));
        Assert.Equal(expected, sequence.Logits.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.Rewind(ids.Length + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.Rewind(-1));
    }

    [Fact]
    public void ConcurrentSequencesOnManyThreadsMatchSequentialResults()
    {
        int[] ids = [1, .. Model.Tokenizer.Encode("Once upon a time")];
        float[] Run()
        {
            using IModelSequence s = Model.CreateSequence();
            s.Append(ids);
            for (int i = 0; i < 40; i++)
            {
                s.Append([System.Numerics.Tensors.TensorPrimitives.IndexOfMax(s.Logits)]);
            }

            return s.Logits.ToArray();
        }

        float[] expected = Run();
        float[][] results = new float[6][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => results[i] = Run());
        foreach (float[] result in results)
        {
            Assert.Equal(expected, result);
        }
    }

    [Fact]
    public void ConcurrentSplitBatchesShareTheWorkerAndMatchSerialBatchesExactly()
    {
        // Six threads compete for the one batch worker: whichever batch holds it splits, the others run alone.
        using Llama2cModel split = Stories260K.Load(new Llama2cModelOptions { BatchThreading = Llama2cBatchThreading.Split });
        using Llama2cModel serial = Stories260K.Load(new Llama2cModelOptions { BatchThreading = Llama2cBatchThreading.Serial });
        float[][] Run(Llama2cModel model, int batchSize)
        {
            var sequences = new IModelSequence[batchSize];
            try
            {
                for (int i = 0; i < batchSize; i++)
                {
                    sequences[i] = model.CreateSequence();
                    sequences[i].Append([1, .. model.Tokenizer.Encode(i % 2 == 0 ? "Once upon a time" : "The dog ran")]);
                }

                int[] tokens = new int[batchSize];
                for (int step = 0; step < 60; step++)
                {
                    for (int i = 0; i < batchSize; i++)
                    {
                        tokens[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(sequences[i].Logits);
                    }

                    model.DecodeBatch(sequences, tokens);
                }

                return sequences.Select(s => s.Logits.ToArray()).ToArray();
            }
            finally
            {
                foreach (IModelSequence? s in sequences)
                {
                    s?.Dispose();
                }
            }
        }

        var results = new float[6][][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => results[i] = Run(split, 2 + (i % 3)));
        for (int i = 0; i < results.Length; i++)
        {
            float[][] expected = Run(serial, 2 + (i % 3));
            Assert.Equal(expected.Length, results[i].Length);
            for (int s = 0; s < expected.Length; s++)
            {
                Assert.Equal(expected[s], results[i][s]);
            }
        }

        // After Dispose the worker is gone; batches still decode on the caller's thread.
        split.Dispose();
        Assert.Equal(Run(serial, 3)[2], Run(split, 3)[2]);
    }

    [Fact]
    public void NewSequenceHasNoLogits()
    {
        using IModelSequence sequence = Model.CreateSequence();
        Assert.False(sequence.HasLogits);
        Assert.Equal(0, sequence.Length);
        Assert.Throws<InvalidOperationException>(() => sequence.Logits.ToArray());
        Assert.Same(Model, sequence.Model);
    }

    [Fact]
    public void GrowingPastTheContextThrows()
    {
        using IModelSequence sequence = Model.CreateSequence();
        int[] full = Enumerable.Repeat(300, 512).ToArray();
        Assert.Throws<ContextLengthExceededException>(() => sequence.Append([.. full, 300]));
        Assert.Equal(0, sequence.Length);
        sequence.Append(full);
        Assert.Equal(512, sequence.Length);
        ContextLengthExceededException e = Assert.Throws<ContextLengthExceededException>(() => sequence.Append([300]));
        Assert.Equal(513, e.RequestedLength);
        Assert.Equal(512, e.ContextLength);
        Assert.Throws<ContextLengthExceededException>(() => Model.DecodeBatch([sequence], [300]));
    }

    [Fact]
    public void OutOfRangeTokenIdsThrow()
    {
        using IModelSequence sequence = Model.CreateSequence();
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.Append([1, 512]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.Append([-1]));
        Assert.Equal(0, sequence.Length);
        sequence.Append([1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.DecodeBatch([sequence], [512]));
        Assert.Equal(1, sequence.Length);
    }

    [Fact]
    public void BatchRejectsForeignDuplicateAndMismatchedInput()
    {
        using Llama2cModel other = Stories260K.Load();
        using IModelSequence a = Model.CreateSequence();
        using IModelSequence b = other.CreateSequence();
        a.Append([1]);
        b.Append([1]);
        Assert.Throws<ArgumentException>(() => Model.DecodeBatch([a, b], [300, 300]));
        Assert.Throws<ArgumentException>(() => Model.DecodeBatch([a, a], [300, 300]));
        Assert.Throws<ArgumentException>(() => Model.DecodeBatch([a], [300, 300]));
        Assert.Equal(1, a.Length);
    }
}
