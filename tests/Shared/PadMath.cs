namespace PadKernel.Testing;

/// <summary>PAD's rule computed directly from logits, in double, as the tests' independent reference.</summary>
public static class PadMath
{
    /// <summary>The top-k ids of <paramref name="logits"/>, highest first, ties to the lower id, −∞ and NaN never.</summary>
    public static int[] TopK(float[] logits, int k) =>
        Enumerable.Range(0, logits.Length).Where(id => logits[id] > float.NegativeInfinity)
            .OrderByDescending(id => logits[id]).ThenBy(id => id).Take(k).ToArray();

    /// <summary>r(a) = logsoftmax_K(reward)(a) − logsoftmax_K(reference)(a) for each a in <paramref name="k"/>.</summary>
    public static double[] Reward(float[] rewardLogits, float[] referenceLogits, int[] k)
    {
        double[] lr = LogSoftmax(k.Select(id => (double)rewardLogits[id]).ToArray());
        double[] lb = LogSoftmax(k.Select(id => (double)referenceLogits[id]).ToArray());
        return lr.Select((v, j) => v - lb[j]).ToArray();
    }

    /// <summary>The log-softmax of <paramref name="values"/>.</summary>
    public static double[] LogSoftmax(double[] values)
    {
        double max = values.Max();
        double lse = max + Math.Log(values.Sum(v => Math.Exp(v - max)));
        return values.Select(v => v - lse).ToArray();
    }
}
