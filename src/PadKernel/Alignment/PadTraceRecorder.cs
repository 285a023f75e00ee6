using PadKernel.Decoding;
using PadKernel.Logits;

namespace PadKernel.Alignment;

/// <summary>
/// Builds each step's <see cref="PadStep"/> when a trace is asked for, as an observer of the pipeline: with PAD it
/// reads what the PAD link computed; for plain decoding it is a read-only link placed where PAD's K would be taken and
/// records the top-k of the scores there. Without a trace it does not exist, so no link branches on tracing.
/// </summary>
internal sealed class PadTraceRecorder : ILogitsProcessor
{
    private readonly PadRewardLink? _pad;
    private readonly int[] _ids;
    private readonly float[] _values;
    private int _count;

    /// <param name="k">PAD's candidate count, the size of a plain step's trace.</param>
    /// <param name="pad">The PAD link, or null for plain decoding.</param>
    public PadTraceRecorder(int k, PadRewardLink? pad)
    {
        _pad = pad;
        _ids = new int[pad is null ? k : 0];
        _values = new float[_ids.Length];
    }

    /// <summary>Records the top-k of the scores as they reach this link (plain decoding only).</summary>
    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        ReadOnlySpan<float> scores = candidates.Scores;
        _count = TopKSelector.Select(scores, _ids.AsSpan(0, Math.Min(_ids.Length, scores.Length)));
        for (int j = 0; j < _count; j++)
        {
            _values[j] = scores[_ids[j]];
            _ids[j] = candidates.IdAt(_ids[j]);
        }
    }

    /// <summary>Returns the trace of step <paramref name="index"/>, which chose <paramref name="chosen"/>.</summary>
    public PadStep Record(int index, int chosen)
    {
        if (_pad is null)
        {
            var plain = new PadCandidate[_count];
            for (int j = 0; j < _count; j++)
            {
                plain[j] = new PadCandidate(_ids[j], _values[j], [], _values[j]);
            }

            return new PadStep(index, _count > 0 ? _ids[0] : chosen, chosen, plain);
        }

        ReadOnlySpan<int> ids = _pad.Candidates;
        int rewardCount = ids.IsEmpty ? 0 : _pad.Rewards.Length / ids.Length;
        var candidates = new PadCandidate[ids.Length];
        for (int j = 0; j < ids.Length; j++)
        {
            float[] rewards = _pad.Rewards.Slice(j * rewardCount, rewardCount).ToArray();
            candidates[j] = new PadCandidate(ids[j], _pad.BaseScores[j], rewards, _pad.Scores[j]);
        }

        return new PadStep(index, _pad.BaseTopTokenId, chosen, candidates);
    }
}
