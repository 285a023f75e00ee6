using PadKernel.Alignment;
using PadKernel.Decoding;
using Xunit;

namespace PadKernel.Testing;

/// <summary>
/// Checks a traced greedy PAD decode step by step against the rule computed directly from fresh rows
/// (<see cref="ReferenceRows"/>): K = top-k of the base scores; r_i = logsoftmax_K(reward i) − logsoftmax_K(its
/// reference); s = score + Σ w_i r_i; the chosen token is the first maximum of s. Rewards must share the base vocabulary.
/// </summary>
public static class PadRuleCheck
{
    /// <param name="request">The decoded request (greedy, with a trace).</param>
    /// <param name="result">Its result.</param>
    /// <param name="scores">The base scores the pipeline's links make of a base row (the row itself when null).</param>
    public static void AssertFollowsTheRule(DecodeRequest request, GenerationResult result, Func<float[], float[]>? scores = null)
    {
        Assert.Equal(result.TokenIds.Count, result.Trace.Count);
        float[] weights = request.Rewards.Select(r => r.Weight).ToArray();
        using var rows = new ReferenceRows(request);
        for (int step = 0; step < result.TokenIds.Count; step++)
        {
            float[] lb = rows.Base;
            float[] baseScores = scores?.Invoke(lb) ?? lb;
            int[] k = PadMath.TopK(baseScores, request.Options.PadTopK);
            double[][] rewards = weights.Select((_, i) => PadMath.Reward(rows.Reward(i), rows.Reference(i), k)).ToArray();
            double[] s = k.Select((id, j) => baseScores[id] + weights.Select((w, i) => w * rewards[i][j]).Sum()).ToArray();
            int expected = k[Array.IndexOf(s, s.Max())];

            PadStep traced = result.Trace[step];
            Assert.Equal(k, traced.Candidates.Select(c => c.TokenId));
            Assert.Equal(k.Select(id => baseScores[id]), traced.Candidates.Select(c => c.BaseLogit));
            Assert.Equal(k[0], traced.BaseTopTokenId);
            for (int j = 0; j < k.Length; j++)
            {
                for (int i = 0; i < weights.Length; i++)
                {
                    Assert.Equal(rewards[i][j], traced.Candidates[j].Rewards[i], 1e-4);
                }

                Assert.Equal(s[j], traced.Candidates[j].Score, 1e-3);
            }

            Assert.Equal(expected, traced.ChosenTokenId);
            Assert.Equal(expected, result.TokenIds[step]);
            rows.Append(expected);
        }
    }
}
