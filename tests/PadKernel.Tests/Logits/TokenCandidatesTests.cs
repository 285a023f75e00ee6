using PadKernel.Logits;

namespace PadKernel.Tests.Logits;

public sealed class TokenCandidatesTests
{
    [Fact]
    public void Load_WholeRow_IdsAreIndicesUntilHandedOut()
    {
        var candidates = new TokenCandidates(8);
        candidates.Load([0.5f, 2f, -1f, 2f]);

        Assert.Equal(4, candidates.Count);
        Assert.True(candidates.IsVocabularyOrder);
        Assert.False(candidates.IsSorted);
        Assert.Equal(-1, candidates.Selected);
        Assert.Equal(3, candidates.IdAt(3));
        Assert.Equal([0, 1, 2, 3], candidates.Ids.ToArray());
        Assert.False(candidates.IsVocabularyOrder);
    }

    [Fact]
    public void SelectTop_TiesAndMaskedScores_KeepsHighestFirstLowerIdFirstAndDropsMinusInfinity()
    {
        var candidates = new TokenCandidates(8);
        candidates.Load([1f, 5f, float.NegativeInfinity, 5f, 4f, float.NaN]);

        int kept = candidates.SelectTop(10);

        Assert.Equal(4, kept);
        Assert.True(candidates.IsSorted);
        Assert.Equal([1, 3, 4, 0], candidates.Ids.ToArray());
        Assert.Equal([5f, 5f, 4f, 1f], candidates.Scores.ToArray());
    }

    [Fact]
    public void Reorder_AfterSoftmax_MovesProbabilitiesAndSumsTheKeptMass()
    {
        var candidates = new TokenCandidates(4);
        candidates.Load([10, 11, 12, 13], [0f, 1f, 2f, 3f]);
        candidates.Softmax();
        float[] probabilities = candidates.Probabilities.ToArray();
        Assert.Equal(1d, candidates.ProbabilityMass);

        candidates.Reorder([3, 1]);

        Assert.Equal([13, 11], candidates.Ids.ToArray());
        Assert.True(candidates.HasProbabilities);
        Assert.Equal([probabilities[3], probabilities[1]], candidates.Probabilities.ToArray());
        Assert.Equal((double)probabilities[3] + probabilities[1], candidates.ProbabilityMass);
    }

    [Fact]
    public void Scores_HandedOutAfterSoftmax_MarksProbabilitiesStale()
    {
        var candidates = new TokenCandidates(4);
        candidates.Load([0f, 1f]);
        candidates.Softmax();

        candidates.Scores[0] = 5f;

        Assert.False(candidates.HasProbabilities);
    }

    [Fact]
    public void Truncate_BelowTheSelection_ClearsIt()
    {
        var candidates = new TokenCandidates(4);
        candidates.Load([0f, 1f, 2f]);
        candidates.Selected = 2;

        candidates.Truncate(2);

        Assert.Equal(-1, candidates.Selected);
        Assert.Throws<ArgumentOutOfRangeException>(() => candidates.IdAt(2));
    }

    [Fact]
    public void Load_MoreThanCapacity_Throws()
    {
        var candidates = new TokenCandidates(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => candidates.Load([0f, 1f, 2f]));
    }
}
