using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using PadKernel.Decoding;
using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Alignment;

/// <summary>The state of one decoding run: the sequences, per-step buffers (allocated once) and the text pipeline.</summary>
internal sealed class DecodeSession : IDisposable
{
    private readonly DecodeRequest _request;
    private readonly GenerationOptions _options;
    private readonly ModelInfo _info;
    private readonly IModelSequence _base;
    private readonly IModelSequence[] _rewards;
    private readonly float[] _weights;
    private readonly TokenMapping?[] _mappings;
    private readonly ModelBatch[] _batches;
    private readonly List<IModelSequence> _allSequences = [];

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

    private readonly int[] _stopTokenIds;
    private readonly bool[] _seen;
    private readonly List<int> _seenIds = [];
    private readonly Random _random;
    private readonly StreamingTextDecoder _text;
    private readonly StopSequenceMatcher _stops;
    private int _generated;

    public DecodeSession(DecodeRequest request)
    {
        _request = request;
        _options = request.Options;
        _info = request.Model.Info;
        int vocabulary = _info.VocabularySize;

        try
        {
            _base = Track(request.Model.CreateSequence());

            // Zero-weight rewards change nothing; skipping them keeps w = 0 identical to plain decoding and free.
            RewardContext[] active = request.Rewards.Where(r => r.Weight != 0f).ToArray();
            _rewards = new IModelSequence[active.Length];
            _weights = new float[active.Length];
            _mappings = new TokenMapping?[active.Length];
            for (int i = 0; i < active.Length; i++)
            {
                _rewards[i] = Track(active[i].Model.CreateSequence());
                _weights[i] = active[i].Weight;
                _mappings[i] = MappingFor(request.Model, active[i].Model);
            }

            // One batch per distinct model: self-contrast puts base and reward contexts in the same forward call.
            // A reward model with another tokenizer reads each chosen token's own encoding instead (AdvanceMapped).
            _batches = _rewards.Where((_, i) => _mappings[i] is null).Prepend(_base)
                .GroupBy(s => s.Model)
                .Select(g => new ModelBatch(g.Key, g.ToArray()))
                .ToArray();
        }
        catch
        {
            Dispose();
            throw;
        }

        int k = Math.Min(_options.PadTopK, vocabulary);
        int candidates = _rewards.Length > 0 ? k : (_options.TopK > 0 ? Math.Min(_options.TopK, vocabulary) : vocabulary);
        candidates = Math.Max(candidates, _options.IncludeTrace ? k : 0);
        _penalized = new float[vocabulary];
        _candidateIds = new int[candidates];
        _candidateScores = new float[candidates];
        _sortKeys = new float[candidates];
        _sortOrder = new int[candidates];
        _baseLogSoftmax = new double[k];
        _rewardLogSoftmax = new double[k];
        _mappedBaseLogSoftmax = new double[k];
        _scores = new double[k];
        _traceRewards = _options.IncludeTrace ? new float[k * _rewards.Length] : null;

        // Every id that ends generation, gathered once: EOS ids and BOS (a model that emits BOS has ended its text, as
        // run.c treats it) unless ignored, plus the caller's extra stop ids (a template's end-of-turn token).
        IEnumerable<int> ends = _options.IgnoreEndOfSequence ? [] : _info.EosTokenIds.Append(_info.BosTokenId);
        _stopTokenIds = ends.Concat(_options.StopTokenIds).Where(id => id >= 0).Distinct().ToArray();

        _seen = new bool[vocabulary];
        foreach (int id in request.Context)
        {
            MarkSeen(id);
        }

        _random = _options.Seed is int seed ? new Random(seed) : new Random();
        _text = new StreamingTextDecoder(request.Model.Tokenizer, request.Context[^1]);
        _stops = new StopSequenceMatcher(_options.StopSequences);
    }

    public static void Validate(DecodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Model);
        ArgumentNullException.ThrowIfNull(request.Context);
        ArgumentNullException.ThrowIfNull(request.Rewards);
        ArgumentNullException.ThrowIfNull(request.Options);
        request.Options.Validate();
        ModelInfo info = request.Model.Info;
        ValidateContext(request.Context, info, "base context");
        foreach (RewardContext reward in request.Rewards)
        {
            ArgumentNullException.ThrowIfNull(reward);
            ArgumentNullException.ThrowIfNull(reward.Model);
            if (!float.IsFinite(reward.Weight))
            {
                throw new ArgumentOutOfRangeException(nameof(request), reward.Weight, $"The weight of reward '{reward.Label}' must be a finite number.");
            }

            ModelInfo rewardInfo = reward.Model.Info;
            if (MappingFor(request.Model, reward.Model) is { MappedCount: 0 })
            {
                throw new VocabularyMismatchException(info.ModelId, info.VocabularySize, rewardInfo.ModelId, rewardInfo.VocabularySize);
            }

            ValidateContext(reward.Context, rewardInfo, $"reward context '{reward.Label}'");
        }
    }

    public void Prefill(CancellationToken cancellationToken)
    {
        _base.Append(ToSpan(_request.Context));
        int next = 0;
        foreach (RewardContext reward in _request.Rewards)
        {
            if (reward.Weight != 0f)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _rewards[next++].Append(ToSpan(reward.Context));
            }
        }
    }

    public GenerationUpdate Step()
    {
        ReadOnlySpan<float> logits = _base.Logits;
        if (_options.RepetitionPenalty != 1f)
        {
            logits.CopyTo(_penalized);
            foreach (int id in _seenIds)
            {
                _penalized[id] = Penalize(_penalized[id]);
            }

            logits = _penalized;
        }

        PadStep? step;
        int next = _rewards.Length > 0 ? ChoosePad(logits, out step) : ChoosePlain(logits, out step);

        if (_stopTokenIds.AsSpan().Contains(next))
        {
            return new GenerationUpdate(-1, Finish(string.Empty), step, FinishReason.Stop);
        }

        _generated++;
        MarkSeen(next);
        string text = _stops.Push(_text.Append(next));
        if (_stops.Stopped)
        {
            return new GenerationUpdate(next, text, step, FinishReason.Stop);
        }

        if (_generated >= _options.MaxTokens || AnyBatchFull())
        {
            return new GenerationUpdate(next, Finish(text), step, FinishReason.Length);
        }

        foreach (ModelBatch batch in _batches)
        {
            batch.Advance(next);
        }

        AdvanceMapped(next);
        return new GenerationUpdate(next, text, step, null);
    }

    public void Dispose()
    {
        foreach (IModelSequence sequence in _allSequences)
        {
            sequence.Dispose();
        }

        _allSequences.Clear();
    }

    private static void ValidateContext(IReadOnlyList<int> context, ModelInfo info, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Count == 0)
        {
            throw new ArgumentException($"The {name} is empty; it needs at least one token (usually BOS).", nameof(context));
        }

        if (context.Count >= info.ContextLength)
        {
            throw new ContextLengthExceededException(context.Count + 1, info.ContextLength);
        }

        foreach (int id in context)
        {
            if ((uint)id >= (uint)info.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(context), id, $"The {name} holds token id {id}, outside the vocabulary of {info.VocabularySize}.");
            }
        }
    }

    private static ReadOnlySpan<int> ToSpan(IReadOnlyList<int> ids) => ids switch
    {
        int[] array => array,
        List<int> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => ids.ToArray(),
    };

    private int ChoosePlain(ReadOnlySpan<float> logits, out PadStep? step)
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

            step = new PadStep(_generated, _candidateIds[0], next, candidates);
        }

        return next;
    }

    // Optimized from the first call: with tiered PGO this ran at ≈8 µs a step instead of ≈2 through whole benchmark
    // runs on the busy development machine (as with DOTNET_TieredPGO=0 it does not), a quarter of a PAD-1 step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ChoosePad(ReadOnlySpan<float> baseLogits, out PadStep? step)
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
        for (int i = 0; i < _rewards.Length; i++)
        {
            ReadOnlySpan<float> rewardLogits = _rewards[i].Logits;
            ReadOnlySpan<double> referenceLs = baseLs;
            if (_mappings[i] is { } mapping)
            {
                referenceLs = GatherMapped(mapping, baseLogits, rewardLogits, ids, rewardLs);
            }
            else
            {
                for (int j = 0; j < k; j++)
                {
                    float value = rewardLogits[ids[j]];
                    rewardLs[j] = _options.RepetitionPenalty != 1f && _seen[ids[j]] ? Penalize(value) : value;
                }

                LogSoftmax(rewardLs);
            }

            double weight = _weights[i];
            for (int j = 0; j < k; j++)
            {
                double reward = double.IsNaN(rewardLs[j]) ? 0 : rewardLs[j] - referenceLs[j];
                scores[j] += weight * reward;
                if (_traceRewards is not null)
                {
                    _traceRewards[(j * _rewards.Length) + i] = (float)reward;
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

        step = _traceRewards is null ? null : BuildTrace(baseLogits, ids, scores, chosen);
        return ids[chosen];
    }

    private PadStep BuildTrace(ReadOnlySpan<float> baseLogits, ReadOnlySpan<int> ids, ReadOnlySpan<double> scores, int chosen)
    {
        var candidates = new PadCandidate[ids.Length];
        for (int j = 0; j < ids.Length; j++)
        {
            float[] rewards = _traceRewards.AsSpan(j * _rewards.Length, _rewards.Length).ToArray();
            candidates[j] = new PadCandidate(ids[j], baseLogits[ids[j]], rewards, (float)scores[j]);
        }

        return new PadStep(_generated, ids[0], ids[chosen], candidates);
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

    private void MarkSeen(int id)
    {
        if (!_seen[id])
        {
            _seen[id] = true;
            _seenIds.Add(id);
        }
    }

    private bool AnyBatchFull()
    {
        foreach (ModelBatch batch in _batches)
        {
            if (batch.IsFull)
            {
                return true;
            }
        }

        for (int i = 0; i < _rewards.Length; i++)
        {
            if (_mappings[i] is { } mapping && _rewards[i].Length + mapping.MaxEncodingLength > _rewards[i].Model.Info.ContextLength)
            {
                return true;
            }
        }

        return false;
    }

    // --- Reward models with another tokenizer (TokenMapping) ---

    /// <summary>The mapping from the base model's ids to a reward model's, or null when both share one vocabulary.</summary>
    private static TokenMapping? MappingFor(ILanguageModel baseModel, ILanguageModel rewardModel) =>
        rewardModel.Info.VocabularySize == baseModel.Info.VocabularySize && rewardModel.Tokenizer.VocabularySize == baseModel.Tokenizer.VocabularySize
            ? null
            : TokenMapping.For(baseModel, rewardModel);

    /// <summary>
    /// Fills <paramref name="rewardLs"/> with the reward model's log-softmax over the mapped candidates (NaN for unmapped
    /// ones, whose reward is 0) and returns the base log-softmax over the same subset, so r stays a difference of two
    /// distributions over one candidate set. With every candidate mapped it is the plain rule.
    /// </summary>
    private ReadOnlySpan<double> GatherMapped(TokenMapping mapping, ReadOnlySpan<float> baseLogits, ReadOnlySpan<float> rewardLogits, ReadOnlySpan<int> ids, Span<double> rewardLs)
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

            float value = rewardLogits[rewardId];
            rewardLs[j] = _options.RepetitionPenalty != 1f && _seen[ids[j]] ? Penalize(value) : value;
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

    private void AdvanceMapped(int next)
    {
        for (int i = 0; i < _rewards.Length; i++)
        {
            if (_mappings[i] is { } mapping && mapping.Encoding(next) is { IsEmpty: false } encoding)
            {
                _rewards[i].Append(encoding);
            }
        }
    }

    private string Finish(string text) => text + _stops.Push(_text.Flush()) + _stops.Flush();

    private IModelSequence Track(IModelSequence sequence)
    {
        _allSequences.Add(sequence);
        return sequence;
    }

    /// <summary>The sequences of one model that advance together in one forward call.</summary>
    private sealed class ModelBatch(ILanguageModel model, IModelSequence[] sequences)
    {
        private readonly int[] _tokens = new int[sequences.Length];

        private readonly int _contextLength = model.Info.ContextLength;

        public bool IsFull
        {
            get
            {
                foreach (IModelSequence sequence in sequences)
                {
                    if (sequence.Length >= _contextLength)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public void Advance(int token)
        {
            Array.Fill(_tokens, token);
            model.DecodeBatch(sequences, _tokens);
        }
    }
}
