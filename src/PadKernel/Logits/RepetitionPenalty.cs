namespace PadKernel.Logits;

/// <summary>
/// Penalizes every token the contexts already hold (prompt and generated), with the CTRL-paper rule llama.cpp and
/// Hugging Face use: positive logits are divided by the penalty, negative ones multiplied. PAD applies the same
/// penalty to the reward rows it reads (<see cref="Penalize"/>), so a reward compares like with like.
/// </summary>
internal sealed class RepetitionPenalty : ILogitsProcessor
{
    private readonly float _penalty;
    private readonly bool[] _seen;
    private readonly List<int> _seenIds;

    /// <param name="penalty">The penalty (≠ 1).</param>
    /// <param name="vocabularySize">The base model's vocabulary size.</param>
    /// <param name="expectedTokens">The most distinct tokens a request can hold (prompt plus generated, at most the vocabulary), so the list of seen ids never grows while decoding.</param>
    public RepetitionPenalty(float penalty, int vocabularySize, int expectedTokens)
    {
        _penalty = penalty;
        _seen = new bool[vocabularySize];
        _seenIds = new List<int>(expectedTokens);
    }

    public void Apply(TokenCandidates candidates, LogitsStep step)
    {
        if (candidates.IsVocabularyOrder)
        {
            Span<float> scores = candidates.Scores;
            foreach (int id in _seenIds)
            {
                scores[id] = Rule(scores[id]);
            }

            return;
        }

        Span<int> ids = candidates.Ids;
        Span<float> values = candidates.Scores;
        for (int i = 0; i < ids.Length; i++)
        {
            values[i] = Penalize(ids[i], values[i]);
        }
    }

    public void Accept(int tokenId)
    {
        if (!_seen[tokenId])
        {
            _seen[tokenId] = true;
            _seenIds.Add(tokenId);
        }
    }

    public void Reset()
    {
        foreach (int id in _seenIds)
        {
            _seen[id] = false;
        }

        _seenIds.Clear();
    }

    /// <summary>Returns <paramref name="logit"/> penalized when the base token <paramref name="tokenId"/> has been seen.</summary>
    public float Penalize(int tokenId, float logit) => _seen[tokenId] ? Rule(logit) : logit;

    private float Rule(float logit) => logit > 0 ? logit / _penalty : logit * _penalty;
}
