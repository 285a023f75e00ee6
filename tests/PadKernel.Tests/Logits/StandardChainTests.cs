using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Tests.TestDoubles;

namespace PadKernel.Tests.Logits;

/// <summary>The links the decoder builds from <see cref="GenerationOptions"/>, checked through <see cref="PadDecoder"/>.</summary>
public sealed class StandardChainTests
{
    private static readonly Preference Dog = new("The story is about a dog.", 2f);

    [Fact]
    public void Decode_Pad_ReadsRewardRowsOnlyThroughGatherOnK()
    {
        using var model = new ScriptedModel(seed: 3);

        // Reward sequences are created Gathered and refuse Logits: PAD must read them through GatherLogits alone.
        GenerationResult result = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [Dog, Dog with { Text = "Sad." }], Options(maxTokens: 12)));

        Assert.Equal(12, result.TokenIds.Count);
        Assert.Equal(2, model.GatheredSequences);
        Assert.Equal(12 * 10 * 2, model.GatheredLogits);
    }

    [Fact]
    public void Decode_RepetitionPenaltyWithPad_PenalizesTheBaseAndRewardRowsTokenByToken()
    {
        using var model = new ScriptedModel(seed: 4);
        const float Penalty = 1.8f;
        GenerationOptions options = Options(maxTokens: 30, includeTrace: true);
        options.RepetitionPenalty = Penalty;
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once", [Dog], options);

        GenerationResult result = PadDecoder.Generate(request);

        using var rows = new ReferenceRows(request);
        var seen = new HashSet<int>(request.Context);
        float Penalize(int id, float v) => !seen.Contains(id) ? v : v > 0 ? v / Penalty : v * Penalty;
        for (int step = 0; step < result.TokenIds.Count; step++)
        {
            float[] lb = rows.Base.Select((v, id) => Penalize(id, v)).ToArray();
            float[] lr = rows.Reward(0).Select((v, id) => Penalize(id, v)).ToArray();
            int[] k = PadMath.TopK(lb, 10);
            double[] r = PadMath.Reward(lr, lb, k);
            double[] scores = k.Select((id, j) => lb[id] + (2.0 * r[j])).ToArray();
            int expected = k[Array.IndexOf(scores, scores.Max())];

            Assert.Equal(k, result.Trace[step].Candidates.Select(c => c.TokenId));
            Assert.Equal(expected, result.TokenIds[step]);
            seen.Add(expected);
            rows.Append(expected);
        }

        options.RepetitionPenalty = 1f;
        Assert.NotEqual(PadDecoder.Generate(request).TokenIds, result.TokenIds);
    }

    [Fact]
    public void Decode_TopP_DrawsOnlyFromTheNucleusOfTheWholeVocabulary()
    {
        using var model = new ScriptedModel(seed: 5);
        const float TopP = 0.05f;
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once", [], Options(temperature: 1f, maxTokens: 40, topP: TopP));

        GenerationResult result = PadDecoder.Generate(request);

        using IModelSequence sequence = model.CreateSequence();
        sequence.Append(request.Context.ToArray());
        var drawn = new HashSet<int>();
        foreach (int token in result.TokenIds)
        {
            double[] logits = sequence.Logits.ToArray().Select(v => (double)v).ToArray();
            double[] p = PadMath.LogSoftmax(logits).Select(Math.Exp).ToArray();
            int[] order = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ToArray();
            int size = 0;
            for (double mass = 0; mass < TopP; size++)
            {
                mass += p[order[size]];
            }

            Assert.Contains(token, order[..size]);
            drawn.Add(Array.IndexOf(order, token));
            sequence.Append([token]);
        }

        Assert.True(drawn.Count > 1, "Sampling never left the top token.");
    }

    [Fact]
    public void Decode_SampledFirstTokens_FollowTheSoftmaxOfTheTopK()
    {
        using var model = new ScriptedModel(seed: 6);
        const int Draws = 3000;
        var counts = new Dictionary<int, int>();
        for (int seed = 0; seed < Draws; seed++)
        {
            GenerationOptions options = Options(temperature: 0.5f, maxTokens: 1, seed: seed);
            options.TopK = 4;
            int token = PadDecoder.Generate(PadPrompts.CreateRawRequest(model, "Once", [], options)).TokenIds[0];
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }

        using IModelSequence sequence = model.CreateSequence();
        sequence.Append(PadPrompts.Encode(model, "Once").ToArray());
        float[] logits = sequence.Logits.ToArray();
        int[] top = PadMath.TopK(logits, 4);
        double[] p = PadMath.LogSoftmax(top.Select(id => logits[id] / 0.5).ToArray()).Select(Math.Exp).ToArray();

        Assert.Equal(top.Order(), counts.Keys.Order());
        for (int j = 0; j < top.Length; j++)
        {
            Assert.InRange(counts[top[j]] / (double)Draws, p[j] - 0.03, p[j] + 0.03);
        }
    }

    private static GenerationOptions Options(float temperature = 0f, int maxTokens = 20, bool includeTrace = false, float topP = 1f, int seed = 1) => new()
    {
        Temperature = temperature,
        Seed = seed,
        MaxTokens = maxTokens,
        IncludeTrace = includeTrace,
        TopP = topP,
    };
}
