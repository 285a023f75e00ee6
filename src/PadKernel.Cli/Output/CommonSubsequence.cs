namespace PadKernel.Cli.Output;

/// <summary>What two texts share: the tokens (compare) or words (chat's /plain) of a longest common subsequence.</summary>
internal static class CommonSubsequence
{
    /// <summary>Marks the items of each sequence that belong to a longest common subsequence of the two.</summary>
    public static (bool[] Left, bool[] Right) Mark<T>(IReadOnlyList<T> left, IReadOnlyList<T> right)
    {
        EqualityComparer<T> comparer = EqualityComparer<T>.Default;
        int[,] lengths = new int[left.Count + 1, right.Count + 1];
        for (int i = left.Count - 1; i >= 0; i--)
        {
            for (int j = right.Count - 1; j >= 0; j--)
            {
                lengths[i, j] = comparer.Equals(left[i], right[j]) ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        bool[] leftKept = new bool[left.Count];
        bool[] rightKept = new bool[right.Count];
        int a = 0, b = 0;
        while (a < left.Count && b < right.Count)
        {
            if (comparer.Equals(left[a], right[b]))
            {
                leftKept[a++] = true;
                rightKept[b++] = true;
            }
            else if (lengths[a + 1, b] >= lengths[a, b + 1])
            {
                a++;
            }
            else
            {
                b++;
            }
        }

        return (leftKept, rightKept);
    }
}
