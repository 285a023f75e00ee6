using System.Runtime.CompilerServices;

namespace PadKernel.Decoding;

/// <summary>Selects the ids of the largest logits without sorting the whole vocabulary.</summary>
public static class TopKSelector
{
    /// <summary>
    /// Writes the ids of the <c>ids.Length</c> largest values of <paramref name="logits"/> into <paramref name="ids"/>,
    /// largest first; equal values are ordered by lower id first. NaN and −∞ (a masked token) are never selected.
    /// </summary>
    /// <returns>The number of ids written: <c>min(ids.Length, number of logits above −∞)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs every PAD step; see docs/benchmarks.md.
    public static int Select(ReadOnlySpan<float> logits, Span<int> ids)
    {
        int k = ids.Length;
        if (k == 0)
        {
            return 0;
        }

        int count = 0;
        float threshold = float.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++)
        {
            float value = logits[i];
            // A full list only admits strictly larger values: ties keep the lower id already there. The first test is
            // false for NaN and −∞ alike.
            if (!(value > float.NegativeInfinity) || (count == k && value <= threshold))
            {
                continue;
            }

            int position = count == k ? k - 1 : count;
            while (position > 0 && logits[ids[position - 1]] < value)
            {
                ids[position] = ids[position - 1];
                position--;
            }

            ids[position] = i;
            if (count < k)
            {
                count++;
            }

            threshold = logits[ids[count - 1]];
        }

        return count;
    }
}
