using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using PadKernel.Decoding;
using PadKernel.Models;

namespace PadKernel.Alignment;

/// <summary>
/// The logits stage every runtime's decoding loop runs once per step (in the spirit of Hugging Face's
/// <c>LogitsProcessor</c> plus its sampler): it takes the step's next-token logits of the base context and of each
/// reward context, applies the repetition penalty, checks the logits are usable, and returns the one token every
/// context appends. Without rewards it is plain decoding (greedy or sampled); with rewards it is the PAD rule:
/// K = top-k(l_b); r_i = logsoftmax_K(l_r,i) − logsoftmax_K(l_b); s = l_b + Σ w_i r_i; argmax s or a draw from
/// softmax(s / T) over K.
/// </summary>
/// <remarks>
/// Buffers are allocated once, so a step allocates nothing unless a trace is asked for. Sampling happens here, once
/// per step, never in the runtime, so every context (for example every row of a batched ONNX Runtime GenAI
/// generator) receives the same token.
/// </remarks>
internal sealed class PadLogitsStage
{
    private readonly GenerationOptions _options;
    private readonly float[] _weights;
    private readonly TokenMapping?[] _mappings;
    private readonly string _modelId;
    private readonly IReadOnlyList<string> _rewardModelIds;

    private readonly float[] _penalized;
    private readonly int[] _candidateIds;
    private readonly float[] _candidateScores;
    private readonly float[] _sortKeys;
    private readonly int[] _sortOrder;
    private readonly double[] _baseLogSoftmax;
    private readonly double[] _rewardLogSoftmax;
    private readonly double[] _mappedBaseLogSoftmax;
    private readonly double[] _scores;
    private readonly float[]? _traceRewards;
    private readonly bool[] _seen;
    private readonly List<int> _seenIds = [];
    private readonly Random _random;

    /// <param name="options">Temperature, top-k/top-p, PAD's k, repetition penalty, seed and trace switch.</param>
    /// <param name="weights">The weight of each reward context, in the order their logits are passed to <see cref="Select"/>.</param>
    /// <param name="mappings">Per reward context, the map of base ids to a reward model with another tokenizer, or null (same vocabulary).</param>
    /// <param name="vocabularySize">The number of logits per step.</param>
    /// <param name="context">The prompt ids (they count as seen for the repetition penalty).</param>
    /// <param name="modelId">The base model, named in errors.</param>
    /// <param name="rewardModelIds">The reward models, named in errors.</param>
    public PadLogitsStage(GenerationOptions options, float[] weights, TokenMapping?[] mappings, int vocabularySize, IReadOnlyList<int> context, string modelId, IReadOnlyList<string> rewardModelIds)
    {
        _options = options;
        _weights = weights;
        _mappings = mappings;
        _modelId = modelId;
        _rewardModelIds = rewardModelIds;

        int k = Math.Min(options.PadTopK, vocabularySize);
        int candidates = weights.Length > 0 ? k : (options.TopK > 0 ? Math.Min(options.TopK, vocabularySize) : vocabularySize);
        candidates = Math.Max(candidates, options.IncludeTrace ? k : 0);
        _penalized = new float[vocabularySize];
        _candidateIds = new int[candidates];
        _candidateScores = new float[candidates];
        _sortKeys = new float[candidates];
        _sortOrder = new int[candidates];
        _baseLogSoftmax = new double[k];
        _rewardLogSoftmax = new double[k];
        _mappedBaseLogSoftmax = new double[k];
        _scores = new double[k];
        _traceRewards = options.IncludeTrace ? new float[k * weights.Length] : null;

        _seen = new bool[vocabularySize];
        foreach (int id in context)
        {
            Accept(id);
        }

        _random = options.Seed is int seed ? new Random(seed) : new Random();
    }

    /// <summary>Gets a value indicating whether the last PAD step chose a candidate other than the base model's top one.</summary>
    public bool LastChanged { get; private set; }

    /// <summary>Chooses the next token from one step's logits.</summary>
    /// <param name="baseLogits">The base context's next-token logits.</param>
    /// <param name="rewards">The reward contexts, whose <see cref="IModelSequence.Logits"/> are read (same order as the weights).</param>
    /// <param name="index">The step number, for traces and errors.</param>
    /// <param name="step">What PAD did, when a trace was asked for.</param>
    /// <exception cref="InvalidLogitsException">The logits hold NaN or +∞, or are all −∞.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Select(ReadOnlySpan<float> baseLogits, ReadOnlySpan<IModelSequence> rewards, int index, out PadStep? step)
    {
        CheckFinite(baseLogits, _modelId, index);
        if (_options.RepetitionPenalty != 1f)
        {
            baseLogits.CopyTo(_penalized);
            foreach (int id in _seenIds)
            {
                _penalized[id] = Penalize(_penalized[id]);
            }

            baseLogits = _penalized;
        }

        return rewards.Length > 0 ? ChoosePad(baseLogits, rewards, index, out step) : ChoosePlain(baseLogits, index, out step);
    }

    /// <summary>Records the token every context appended (for the repetition penalty).</summary>
    public void Accept(int id)
    {
        if (!_seen[id])
        {
            _seen[id] = true;
            _seenIds.Add(id);
        }
    }

    // One vectorized pass: TensorPrimitives.Max returns NaN if any value is NaN, so a finite maximum means no NaN, no +∞
    // and not every token −∞ (−∞ alone is a legitimate mask). Only a bad step walks the logits to say what is wrong.
    private static void CheckFinite(ReadOnlySpan<float> logits, string modelId, int index)
    {
        if (logits.IsEmpty || !float.IsFinite(TensorPrimitives.Max(logits)))
        {
            ThrowInvalid(logits, modelId, index);
        }
    }

    private static void ThrowInvalid(ReadOnlySpan<float> logits, string modelId, int index)
    {
        for (int i = 0; i < logits.Length; i++)
        {
            if (float.IsNaN(logits[i]) || float.IsPositiveInfinity(logits[i]))
            {
                throw new InvalidLogitsException(modelId, index, $"{logits[i]} at token id {i}");
            }
        }

        throw new InvalidLogitsException(modelId, index, "every logit is -Infinity");
    }

    private int ChoosePlain(ReadOnlySpan<float> logits, int index, out PadStep? step)
    {
        int next;
        if (_options.Temperature == 0f)
        {
            next = TensorPrimitives.IndexOfMax(logits);
        }
        else
        {
            int count;
            if (_candidateIds.Length == logits.Length)
            {
                for (int i = 0; i < logits.Length; i++)
                {
                    _candidateIds[i] = i;
                }

                count = logits.Length;
            }
            else
            {
                count = TopKSelector.Select(logits, _candidateIds.AsSpan(0, Math.Min(_options.TopK, _candidateIds.Length)));
            }

            Span<float> scores = _candidateScores.AsSpan(0, count);
            for (int i = 0; i < count; i++)
            {
                scores[i] = logits[_candidateIds[i]];
            }

            next = _candidateIds[CandidateSampler.Sample(scores, _sortKeys, _sortOrder, _options.Temperature, _options.TopP, _random)];
        }

        step = null;
        if (_options.IncludeTrace)
        {
            int k = TopKSelector.Select(logits, _candidateIds.AsSpan(0, _baseLogSoftmax.Length));
            var candidates = new PadCandidate[k];
            for (int i = 0; i < k; i++)
            {
                float value = logits[_candidateIds[i]];
                candidates[i] = new PadCandidate(_candidateIds[i], value, [], value);
            }

            step = new PadStep(index, _candidateIds[0], next, candidates);
        }

        return next;
    }

    // Optimized from the first call: with tiered PGO this ran at ≈8 µs a step instead of ≈2 through whole benchmark
    // runs on the busy development machine (as with DOTNET_TieredPGO=0 it does not), a quarter of a PAD-1 step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ChoosePad(ReadOnlySpan<float> baseLogits, ReadOnlySpan<IModelSequence> rewards, int index, out PadStep? step)
    {
        Span<int> ids = _candidateIds.AsSpan(0, _baseLogSoftmax.Length);
        int k = TopKSelector.Select(baseLogits, ids);
        ids = ids[..k];
        Span<double> baseLs = _baseLogSoftmax.AsSpan(0, k);
        Span<double> rewardLs = _rewardLogSoftmax.AsSpan(0, k);
        Span<double> scores = _scores.AsSpan(0, k);

        for (int j = 0; j < k; j++)
        {
            baseLs[j] = baseLogits[ids[j]];
            scores[j] = baseLs[j];
        }

        LogSoftmax(baseLs);
        for (int i = 0; i < rewards.Length; i++)
        {
            ReadOnlySpan<float> rewardLogits = rewards[i].Logits;
            ReadOnlySpan<double> referenceLs = baseLs;
            if (_mappings[i] is { } mapping)
            {
                referenceLs = GatherMapped(mapping, baseLogits, rewardLogits, ids, rewardLs, i, index);
            }
            else
            {
                for (int j = 0; j < k; j++)
                {
                    rewardLs[j] = RewardLogit(rewardLogits, ids[j], ids[j], i, index);
                }

                LogSoftmax(rewardLs);
            }

            double weight = _weights[i];
            for (int j = 0; j < k; j++)
            {
                // NaN marks a candidate a reward model with another tokenizer cannot score: it gets no reward.
                double reward = double.IsNaN(rewardLs[j]) ? 0 : rewardLs[j] - referenceLs[j];
                scores[j] += weight * reward;
                if (_traceRewards is not null)
                {
                    _traceRewards[(j * rewards.Length) + i] = (float)reward;
                }
            }
        }

        int chosen;
        if (_options.Temperature == 0f)
        {
            // First maximum: ties go to the candidate with the higher base logit (then the lower id).
            chosen = 0;
            for (int j = 1; j < k; j++)
            {
                if (scores[j] > scores[chosen])
                {
                    chosen = j;
                }
            }
        }
        else
        {
            Span<float> probabilities = _candidateScores.AsSpan(0, k);
            for (int j = 0; j < k; j++)
            {
                probabilities[j] = (float)scores[j];
            }

            chosen = CandidateSampler.Sample(probabilities, _sortKeys, _sortOrder, _options.Temperature, _options.TopP, _random);
        }

        step = _traceRewards is null ? null : BuildTrace(baseLogits, ids, scores, chosen, rewards.Length, index);
        LastChanged = chosen != 0;
        return ids[chosen];
    }

    private PadStep BuildTrace(ReadOnlySpan<float> baseLogits, ReadOnlySpan<int> ids, ReadOnlySpan<double> scores, int chosen, int rewardCount, int index)
    {
        var candidates = new PadCandidate[ids.Length];
        for (int j = 0; j < ids.Length; j++)
        {
            float[] rewards = _traceRewards.AsSpan(j * rewardCount, rewardCount).ToArray();
            candidates[j] = new PadCandidate(ids[j], baseLogits[ids[j]], rewards, (float)scores[j]);
        }

        return new PadStep(index, ids[0], ids[chosen], candidates);
    }

    private double RewardLogit(ReadOnlySpan<float> rewardLogits, int rewardId, int baseId, int reward, int index)
    {
        float value = rewardLogits[rewardId];
        if (float.IsNaN(value) || float.IsPositiveInfinity(value))
        {
            throw new InvalidLogitsException(_rewardModelIds[reward], index, $"{value} at token id {rewardId} (a reward context)");
        }

        return _options.RepetitionPenalty != 1f && _seen[baseId] ? Penalize(value) : value;
    }

    /// <summary>
    /// Fills <paramref name="rewardLs"/> with the reward model's log-softmax over the mapped candidates (NaN for unmapped
    /// ones, whose reward is 0) and returns the base log-softmax over the same subset, so r stays a difference of two
    /// distributions over one candidate set. With every candidate mapped it is the plain rule.
    /// </summary>
    private ReadOnlySpan<double> GatherMapped(TokenMapping mapping, ReadOnlySpan<float> baseLogits, ReadOnlySpan<float> rewardLogits, ReadOnlySpan<int> ids, Span<double> rewardLs, int reward, int index)
    {
        int k = ids.Length, mapped = 0;
        Span<double> subsetLs = _mappedBaseLogSoftmax.AsSpan(0, k);
        for (int j = 0; j < k; j++)
        {
            int rewardId = mapping.MapCandidate(ids[j]);
            if (rewardId < 0)
            {
                rewardLs[j] = double.NaN;
                subsetLs[j] = double.NaN;
                continue;
            }

            rewardLs[j] = RewardLogit(rewardLogits, rewardId, ids[j], reward, index);
            subsetLs[j] = baseLogits[ids[j]];
            mapped++;
        }

        if (mapped > 0)
        {
            LogSoftmax(rewardLs);
            LogSoftmax(subsetLs);
        }

        return subsetLs;
    }

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

    // The CTRL-paper rule used by llama.cpp and Hugging Face: shrink positive logits, grow negative ones.
    private float Penalize(float logit) => logit > 0 ? logit / _options.RepetitionPenalty : logit * _options.RepetitionPenalty;
}
