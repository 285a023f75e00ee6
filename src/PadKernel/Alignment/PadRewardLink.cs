using System.Runtime.CompilerServices;
using PadKernel.Decoding;
using PadKernel.Logits;

namespace PadKernel.Alignment;

/// <summary>
/// PAD's link of the logits pipeline. It runs after the top-k link has left the candidate set K (the base scores'
/// top-k, highest first) and rescores it: r_i = logsoftmax_K(l_r,i) − logsoftmax_K(l_ref,i); s = score + Σ w_i r_i.
/// The log-softmaxes are computed in double; the reference l_ref,i is the base row on K, or the reward's own reference
/// row on the base model (<see cref="RewardReference.PerPreference"/>), after the repetition penalty as the reward rows,
/// so the user's links shape K and the score but not the reward. Reward and reference rows are read only on K
/// (<see cref="RewardRow.Gather"/>).
/// </summary>
/// <remarks>
/// A reward model with another tokenizer is read through its <see cref="TokenMapping"/>: unmapped candidates get
/// reward 0 and both distributions are renormalized over the mapped ones. What the step computed stays readable
/// (<see cref="Candidates"/>, <see cref="Rewards"/>, ...) for the trace and for <see cref="GenerationUpdate.ChangedByPad"/>.
/// </remarks>
internal sealed class PadRewardLink : ILogitsProcessor
{
    private readonly RepetitionPenalty? _penalty;
    private readonly int _rewardCount;
    private readonly int[] _ids;
    private readonly int[] _gatherIds;
    private readonly float[] _gathered;
    private readonly float[] _referenceRow;
    private readonly string _modelId;
    private readonly double[] _baseLogSoftmax;
    private readonly double[] _rewardLogSoftmax;
    private readonly double[] _referenceLogSoftmax;
    private readonly double[] _totals;
    private readonly float[] _baseScores;
    private readonly float[] _scores;
    private readonly float[] _rewards;
    private int _count;

    /// <param name="k">PAD's candidate count (the most the top-k link leaves).</param>
    /// <param name="rewardCount">The number of reward rows.</param>
    /// <param name="penalty">The repetition penalty the base row got, applied alike to the rows read here; null when off.</param>
    /// <param name="modelId">The base model, named when a reference row's logits are invalid.</param>
    public PadRewardLink(int k, int rewardCount, RepetitionPenalty? penalty, string modelId)
    {
        _penalty = penalty;
        _rewardCount = rewardCount;
        _ids = new int[k];
        _gatherIds = new int[k];
        _gathered = new float[k];
        _referenceRow = new float[k];
        _modelId = modelId;
        _baseLogSoftmax = new double[k];
        _rewardLogSoftmax = new double[k];
        _referenceLogSoftmax = new double[k];
        _totals = new double[k];
        _baseScores = new float[k];
        _scores = new float[k];
        _rewards = new float[k * rewardCount];
    }

    /// <summary>Gets the last step's K, highest base score first.</summary>
    public ReadOnlySpan<int> Candidates => _ids.AsSpan(0, _count);

    /// <summary>Gets the last step's scores of K before the rewards were added (l_b after the penalty and the user's links).</summary>
    public ReadOnlySpan<float> BaseScores => _baseScores.AsSpan(0, _count);

    /// <summary>Gets the last step's r_i per candidate: <c>[candidate * rewardCount + i]</c>.</summary>
    public ReadOnlySpan<float> Rewards => _rewards.AsSpan(0, _count * _rewardCount);

    /// <summary>Gets the last step's scores s of K.</summary>
    public ReadOnlySpan<float> Scores => _scores.AsSpan(0, _count);

    /// <summary>Gets the token plain greedy decoding would have chosen at the last step (K's first), or -1.</summary>
    public int BaseTopTokenId => _count > 0 ? _ids[0] : -1;

    // Optimized from the first call: tiered PGO made this step several times slower (docs/benchmarks.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        int k = candidates.Count;
        _count = k;
        if (k == 0)
        {
            return;
        }

        Span<int> ids = candidates.Ids;
        Span<float> scores = candidates.Scores;
        ids.CopyTo(_ids);
        scores.CopyTo(_baseScores);
        Span<double> baseLs = _baseLogSoftmax.AsSpan(0, k);
        Span<double> rewardLs = _rewardLogSoftmax.AsSpan(0, k);
        Span<double> totals = _totals.AsSpan(0, k);

        ReadOnlySpan<float> baseRow = step.BaseLogits;
        for (int j = 0; j < k; j++)
        {
            baseLs[j] = Penalize(ids[j], baseRow[ids[j]]);
            totals[j] = scores[j];
        }

        LogSoftmax(baseLs);
        IReadOnlyList<RewardRow> rows = step.Rewards;
        for (int i = 0; i < rows.Count; i++)
        {
            RewardRow row = rows[i];
            ReadOnlySpan<double> referenceLs = row.Mapping is { } mapping
                ? GatherMapped(row, mapping, ids, baseRow, rewardLs, step.Index)
                : GatherShared(row, ids, rewardLs, baseLs, step.Index);

            double weight = row.Weight;
            for (int j = 0; j < k; j++)
            {
                // NaN marks a candidate a reward model with another tokenizer cannot score: it gets no reward.
                double reward = double.IsNaN(rewardLs[j]) ? 0 : rewardLs[j] - referenceLs[j];
                totals[j] += weight * reward;
                _rewards[(j * _rewardCount) + i] = (float)reward;
            }
        }

        for (int j = 0; j < k; j++)
        {
            scores[j] = (float)totals[j];
        }

        scores.CopyTo(_scores);
    }

    private ReadOnlySpan<double> GatherShared(RewardRow row, ReadOnlySpan<int> ids, Span<double> rewardLs, ReadOnlySpan<double> baseLs, int index)
    {
        Span<float> gathered = _gathered.AsSpan(0, ids.Length);
        row.Gather(ids, gathered);
        for (int j = 0; j < ids.Length; j++)
        {
            rewardLs[j] = RewardLogit(row, gathered[j], ids[j], ids[j], index);
        }

        LogSoftmax(rewardLs);
        if (!row.HasReference)
        {
            return baseLs;
        }

        Span<double> referenceLs = _referenceLogSoftmax.AsSpan(0, ids.Length);
        row.GatherReference(ids, _referenceRow);
        for (int j = 0; j < ids.Length; j++)
        {
            referenceLs[j] = ReferenceLogit(row, _referenceRow[j], ids[j], index);
        }

        LogSoftmax(referenceLs);
        return referenceLs;
    }

    /// <summary>
    /// Fills <paramref name="rewardLs"/> with the reward model's log-softmax over the mapped candidates (NaN for unmapped
    /// ones, whose reward is 0) and returns the reference's log-softmax over the same subset, so r stays a difference of
    /// two distributions over one candidate set. With every candidate mapped it is the plain rule.
    /// </summary>
    private ReadOnlySpan<double> GatherMapped(RewardRow row, TokenMapping mapping, ReadOnlySpan<int> ids, ReadOnlySpan<float> baseRow, Span<double> rewardLs, int index)
    {
        int k = ids.Length, mapped = 0;
        Span<double> subsetLs = _referenceLogSoftmax.AsSpan(0, k);
        for (int j = 0; j < k; j++)
        {
            int rewardId = mapping.MapCandidate(ids[j]);
            if (rewardId >= 0)
            {
                _gatherIds[mapped++] = rewardId;
            }
        }

        row.Gather(_gatherIds.AsSpan(0, mapped), _gathered);
        if (row.HasReference)
        {
            row.GatherReference(ids, _referenceRow);
        }

        mapped = 0;
        for (int j = 0; j < k; j++)
        {
            int rewardId = mapping.MapCandidate(ids[j]);
            if (rewardId < 0)
            {
                rewardLs[j] = double.NaN;
                subsetLs[j] = double.NaN;
                continue;
            }

            rewardLs[j] = RewardLogit(row, _gathered[mapped++], rewardId, ids[j], index);
            subsetLs[j] = row.HasReference ? ReferenceLogit(row, _referenceRow[j], ids[j], index) : Penalize(ids[j], baseRow[ids[j]]);
        }

        if (mapped > 0)
        {
            LogSoftmax(rewardLs);
            LogSoftmax(subsetLs);
        }

        return subsetLs;
    }

    private double RewardLogit(RewardRow row, float value, int rewardId, int baseId, int index)
    {
        if (float.IsNaN(value) || float.IsPositiveInfinity(value))
        {
            throw new InvalidLogitsException(row.ModelId, index, $"{value} at token id {rewardId} (a reward context)");
        }

        return Penalize(baseId, value);
    }

    // A reference row reads the base model: checked and penalized as the base row is.
    private double ReferenceLogit(RewardRow row, float value, int baseId, int index)
    {
        if (float.IsNaN(value) || float.IsPositiveInfinity(value))
        {
            throw new InvalidLogitsException(_modelId, index, $"{value} at token id {baseId} (the reference context of reward '{row.Label}')");
        }

        return Penalize(baseId, value);
    }

    private float Penalize(int baseId, float logit) => _penalty is null ? logit : _penalty.Penalize(baseId, logit);

    // NaN entries (candidates a reward model with another tokenizer cannot score) take no part and stay NaN.
    private static void LogSoftmax(Span<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = double.IsNaN(v) ? max : Math.Max(max, v);
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += double.IsNaN(v) ? 0 : Math.Exp(v - max);
        }

        double logSum = max + Math.Log(sum);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] -= logSum;
        }
    }
}
