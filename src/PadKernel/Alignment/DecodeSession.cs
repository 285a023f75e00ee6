using PadKernel.Decoding;
using PadKernel.Logits;
using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Alignment;

/// <summary>The state of one decoding run: the sequences, per-step buffers (allocated once) and the text pipeline.</summary>
internal sealed class DecodeSession : IDisposable
{
    private readonly GenerationOptions _options;
    private readonly ModelInfo _info;
    private readonly IModelSequence _base;
    private readonly IModelSequence[] _rewards;
    private readonly TokenMapping?[] _mappings;
    private readonly IReadOnlyList<int>[] _rewardContexts;
    private readonly ModelBatch[] _batches;
    private readonly List<IModelSequence> _allSequences = [];

    private readonly LogitsPipeline _pipeline;
    private readonly PadRewardLink? _pad;
    private readonly PadTraceRecorder? _trace;
    private readonly int[] _stopTokenIds;
    private readonly StreamingTextDecoder _text;
    private readonly StopSequenceMatcher _stops;
    private int _generated;

    public DecodeSession(DecodeRequest request)
    {
        _options = request.Options;
        _info = request.Model.Info;
        try
        {
            _base = Track(request.Model.CreateSequence());

            // Zero-weight rewards change nothing; skipping them keeps w = 0 identical to plain decoding and free.
            RewardContext[] active = request.Rewards.Where(r => r.Weight != 0f).ToArray();
            _rewards = new IModelSequence[active.Length];
            _mappings = new TokenMapping?[active.Length];
            _rewardContexts = new IReadOnlyList<int>[active.Length];
            var rows = new RewardRow[active.Length];
            var contexts = new List<(IModelSequence Sequence, IReadOnlyList<int> Context)> { (_base, request.Context) };
            for (int i = 0; i < active.Length; i++)
            {
                // PAD reads a reward row only on its K candidates: a runtime may compute just those logits.
                _rewards[i] = Track(active[i].Model.CreateSequence(LogitsAccess.Gathered));
                _mappings[i] = MappingFor(request.Model, active[i].Model);
                _rewardContexts[i] = active[i].Context;
                if (_mappings[i] is null)
                {
                    contexts.Add((_rewards[i], active[i].Context));
                }

                // A reward's own reference row reads the base model, batched with the base row; one equal to the base
                // context is the base row itself.
                IModelSequence? reference = null;
                if (active[i].ReferenceContext is { } referenceContext && !referenceContext.SequenceEqual(request.Context))
                {
                    reference = Track(request.Model.CreateSequence(LogitsAccess.Gathered));
                    contexts.Add((reference, referenceContext));
                }

                rows[i] = new RewardRow(_rewards[i], active[i], _mappings[i], reference);
            }

            // One batch per distinct model: self-contrast puts base and reward contexts in the same forward call.
            // A reward model with another tokenizer reads each chosen token's own encoding instead (AdvanceMapped).
            _batches = contexts
                .GroupBy(c => c.Sequence.Model)
                .Select(g => new ModelBatch(g.Key, g.Select(c => c.Sequence).ToArray(), g.Select(c => c.Context).ToArray()))
                .ToArray();

            var step = new LogitsStep(_base, request.Context, rows, Math.Min(_options.MaxTokens, _info.ContextLength));
            (_pipeline, _pad, _trace) = DecodeChain.Create(request, step);
            _pipeline.Start();
        }
        catch
        {
            Dispose();
            throw;
        }

        // Every id that ends generation, gathered once: EOS ids and BOS (a model that emits BOS has ended its text, as
        // run.c treats it) unless ignored, plus the caller's extra stop ids (a template's end-of-turn token).
        IEnumerable<int> ends = _options.IgnoreEndOfSequence ? [] : _info.EosTokenIds.Append(_info.BosTokenId);
        _stopTokenIds = ends.Concat(_options.StopTokenIds).Where(id => id >= 0).Distinct().ToArray();

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
            if (reward.ReferenceContext is { } reference)
            {
                ValidateContext(reference, info, $"reference context of reward '{reward.Label}'");
            }
        }
    }

    public void Prefill(CancellationToken cancellationToken)
    {
        foreach (ModelBatch batch in _batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Prefill();
        }

        for (int i = 0; i < _rewards.Length; i++)
        {
            if (_mappings[i] is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _rewards[i].Model.Prefill([_rewards[i]], [_rewardContexts[i]]);
            }
        }
    }

    public GenerationUpdate Step()
    {
        int index = _generated;
        int next = _pipeline.Select();
        PadStep? step = _trace?.Record(index, next);

        if (_stopTokenIds.AsSpan().Contains(next))
        {
            return new GenerationUpdate(-1, Finish(string.Empty), step, FinishReason.Stop);
        }

        _generated++;
        _pipeline.Accept(next);
        bool changed = _pad is not null && next != _pad.BaseTopTokenId;
        string text = _stops.Push(_text.Append(next));
        if (_stops.Stopped)
        {
            return new GenerationUpdate(next, text, step, FinishReason.Stop) { ChangedByPad = changed };
        }

        if (_generated >= _options.MaxTokens || AnyBatchFull())
        {
            return new GenerationUpdate(next, Finish(text), step, FinishReason.Length) { ChangedByPad = changed };
        }

        foreach (ModelBatch batch in _batches)
        {
            batch.Advance(next);
        }

        AdvanceMapped(next);
        return new GenerationUpdate(next, text, step, null) { ChangedByPad = changed };
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
        TokenMapping.SharesVocabulary(baseModel, rewardModel)
            ? null
            : TokenMapping.For(baseModel, rewardModel);

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
    private sealed class ModelBatch(ILanguageModel model, IModelSequence[] sequences, IReadOnlyList<int>[] contexts)
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

        public void Prefill() => model.Prefill(sequences, contexts);

        public void Advance(int token)
        {
            Array.Fill(_tokens, token);
            model.DecodeBatch(sequences, _tokens);
        }
    }
}
