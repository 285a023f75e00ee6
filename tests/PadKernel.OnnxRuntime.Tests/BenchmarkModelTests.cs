using System.Numerics.Tensors;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>
/// The tiny benchmark model (tools/benchmodels, committed under tests/fixtures/models/benchmodel-tiny-*): one set of
/// random weights as a llama2.c checkpoint and as GenAI-builder-shaped ONNX folders (GroupQueryAttention with rotary
/// inside and a shared past/present buffer, SimplifiedLayerNormalization, MatMul or MatMulNBits int4).
/// </summary>
public sealed class BenchmarkModelTests
{
    // The two runtimes add the same products in different orders (panelled SIMD dot products vs MLAS GEMM, rotary on
    // reordered rows), so logits agree to float32 rounding of sums of ~64 terms, not bit for bit.
    private const float SummationTolerance = 1e-4f;

    private static readonly string[] Prompts = ["Once upon a time", "The little dog ran to the park and", "Lily"];

    private static readonly Lazy<Llama2cModel> Checkpoint = new(() =>
    {
        string folder = TestData.Model(TestModels.TinyLlama2c);
        return Llama2cModel.Load(TestData.RequireFile(Path.Combine(folder, "model.bin")), TestData.RequireFile(Path.Combine(folder, "tokenizer.bin")));
    });

    [Fact]
    public void TinyModel_Fp32FolderAndLlama2cCheckpoint_GiveTheSameLogitsAndGreedyTokens()
    {
        OnnxModel onnx = TestModels.Get(TestModels.TinyFp32);
        Llama2cModel llama2c = Checkpoint.Value;
        foreach (string prompt in Prompts)
        {
            List<int> ids = PadPrompts.Encode(llama2c, prompt);
            Assert.Equal(ids, PadPrompts.Encode(onnx, prompt));
            using IModelSequence reference = llama2c.CreateSequence();
            using IModelSequence builder = onnx.CreateSequence();
            reference.Append(ids.ToArray());
            builder.Append(ids.ToArray());
            int steps = 150;
            for (int step = 0; step < steps; step++)
            {
                MechanicsTests.AssertClose(reference.Logits, builder.Logits, SummationTolerance, $"'{prompt}', step {step}");

                // Both continue with the checkpoint's choice, so one near-tie cannot fork the rest of the run; the
                // choices must agree wherever the margin exceeds what summation order can move.
                int next = TensorPrimitives.IndexOfMax(reference.Logits);
                if (Margin(reference.Logits) > 4 * SummationTolerance)
                {
                    Assert.Equal(next, TensorPrimitives.IndexOfMax(builder.Logits));
                }

                reference.Append([next]);
                onnx.DecodeBatch([builder], [next]);
            }
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(2f)]
    public void TinyModel_PlainAndPadGeneration_WriteTheSameTokensOnBothRuntimes(float weight)
    {
        var options = new GenerationOptions { MaxTokens = 120, Temperature = 0, IgnoreEndOfSequence = true };
        Preference[] preferences = weight == 0 ? [] : [new("The story is about a cat.", weight)];
        foreach (string prompt in Prompts)
        {
            GenerationResult onnx = PadDecoder.Generate(PadPrompts.CreateRawRequest(TestModels.Get(TestModels.TinyFp32), prompt, preferences, options));
            GenerationResult llama2c = PadDecoder.Generate(PadPrompts.CreateRawRequest(Checkpoint.Value, prompt, preferences, options));

            Assert.Equal(120, llama2c.TokenIds.Count);
            Assert.Equal(llama2c.TokenIds, onnx.TokenIds);
        }
    }

    [Fact]
    public void TinyModel_Int4Folder_GivesFiniteLogitsThatTrackTheFp32Folder()
    {
        OnnxModel fp32 = TestModels.Get(TestModels.TinyFp32);
        OnnxModel int4 = TestModels.Get(TestModels.TinyInt4);
        List<int> ids = PadPrompts.Encode(fp32, Prompts[0]);
        using IModelSequence full = fp32.CreateSequence();
        using IModelSequence quantized = int4.CreateSequence();
        full.Append(ids.ToArray());
        quantized.Append(ids.ToArray());
        double worst = 1;
        for (int step = 0; step < 100; step++)
        {
            foreach (float logit in quantized.Logits)
            {
                Assert.True(float.IsFinite(logit), $"step {step}: a non-finite int4 logit");
            }

            // int4 blocks of 32 with one scale each move every logit, but a wrong nibble order, block layout or scale
            // index would leave no relation to the fp32 logits at all.
            worst = Math.Min(worst, Correlation(full.Logits, quantized.Logits));
            int next = TensorPrimitives.IndexOfMax(full.Logits);
            fp32.DecodeBatch([full], [next]);
            int4.DecodeBatch([quantized], [next]);
        }

        Assert.True(worst > 0.75, $"int4 logits correlate with fp32 logits by only {worst:F3} at worst.");
    }

    private static float Margin(ReadOnlySpan<float> logits)
    {
        float best = float.NegativeInfinity, second = float.NegativeInfinity;
        foreach (float logit in logits)
        {
            if (logit > best)
            {
                (best, second) = (logit, best);
            }
            else if (logit > second)
            {
                second = logit;
            }
        }

        return best - second;
    }

    private static double Correlation(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double meanX = TensorPrimitives.Sum(x) / x.Length, meanY = TensorPrimitives.Sum(y) / y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
