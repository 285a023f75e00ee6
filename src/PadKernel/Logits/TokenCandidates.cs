using System.Numerics.Tensors;
using PadKernel.Decoding;

namespace PadKernel.Logits;

/// <summary>
/// The candidate tokens of one decoding step, as the links of a logits pipeline see and change them (the role of
/// llama.cpp's <c>llama_token_data_array</c>): parallel ids and scores, a count, whether they are sorted, optional
/// probabilities, and the index a selector chose. One instance is allocated per request and reloaded every step.
/// </summary>
/// <remarks>
/// After <see cref="Load(ReadOnlySpan{float})"/> the set holds the whole vocabulary with id = index, unsorted; its ids
/// are not written until something asks for <see cref="Ids"/> or narrows the set, so a plain greedy step costs one
/// copy of the row and one pass to find its maximum. A score of −∞ removes a candidate from consideration
/// (<see cref="SelectTop"/> skips it and a selector never chooses it).
/// </remarks>
public sealed class TokenCandidates
{
    private readonly int[] _ids;
    private readonly float[] _scores;
    private readonly float[] _probabilities;
    private readonly int[] _scratchIds;
    private readonly float[] _scratchValues;
    private bool _idsAreIndices;

    /// <summary>Initializes a new instance of the <see cref="TokenCandidates"/> class.</summary>
    /// <param name="capacity">The most candidates a step can hold: the vocabulary size.</param>
    public TokenCandidates(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ids = new int[capacity];
        _scores = new float[capacity];
        _probabilities = new float[capacity];
        _scratchIds = new int[capacity];
        _scratchValues = new float[capacity];
    }

    /// <summary>Gets the most candidates the set can hold.</summary>
    public int Capacity => _ids.Length;

    /// <summary>Gets the number of candidates.</summary>
    public int Count { get; private set; }

    /// <summary>Gets or sets a value indicating whether the candidates are ordered by score, highest first.</summary>
    public bool IsSorted { get; set; }

    /// <summary>Gets or sets the index (into the candidates, not a token id) a selector chose; -1 until one does.</summary>
    public int Selected { get; set; } = -1;

    /// <summary>
    /// Gets a value indicating whether candidate i is token id i: the whole row as loaded, not yet narrowed, reordered
    /// or handed out through <see cref="Ids"/>. A link may then index <see cref="Scores"/> by token id directly.
    /// </summary>
    public bool IsVocabularyOrder => _idsAreIndices;

    /// <summary>
    /// Gets the candidates' token ids. A link that reorders them in place reorders <see cref="Scores"/> alike (or uses
    /// <see cref="Reorder"/>); once handed out, <see cref="IsVocabularyOrder"/> is false for the rest of the step.
    /// </summary>
    public Span<int> Ids
    {
        get
        {
            MaterializeIds();
            return _ids.AsSpan(0, Count);
        }
    }

    /// <summary>
    /// Gets the candidates' scores (the base logits until a link changes them). The span may be written, so handing it
    /// out marks <see cref="Probabilities"/> stale; a selector recomputes them.
    /// </summary>
    public Span<float> Scores
    {
        get
        {
            HasProbabilities = false;
            return _scores.AsSpan(0, Count);
        }
    }

    /// <summary>Gets a value indicating whether <see cref="Probabilities"/> holds the result of the last <see cref="Softmax"/>.</summary>
    public bool HasProbabilities { get; private set; }

    /// <summary>Gets the candidates' probabilities; valid while <see cref="HasProbabilities"/> is true.</summary>
    public Span<float> Probabilities => _probabilities.AsSpan(0, Count);

    /// <summary>
    /// Gets the probability mass the candidates hold, relative to the distribution <see cref="Softmax"/> normalized: 1
    /// after it, the kept mass (summed in double, in candidate order) after <see cref="Truncate"/> or
    /// <see cref="Reorder"/>. A sampler draws within it.
    /// </summary>
    public double ProbabilityMass { get; private set; }

    /// <summary>Gets the token id of the candidate at <paramref name="index"/>.</summary>
    public int IdAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _idsAreIndices ? index : _ids[index];
    }

    /// <summary>Loads a whole row of logits: every token id with its logit, unsorted, nothing selected.</summary>
    /// <param name="logits">One logit per token id; at most <see cref="Capacity"/> of them.</param>
    public void Load(ReadOnlySpan<float> logits)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(logits.Length, Capacity, nameof(logits));
        logits.CopyTo(_scores);
        Count = logits.Length;
        _idsAreIndices = true;
        Reset();
    }

    /// <summary>Loads explicit candidates in the given order, unsorted, nothing selected.</summary>
    /// <param name="ids">The token ids.</param>
    /// <param name="scores">Their scores, one per id.</param>
    public void Load(ReadOnlySpan<int> ids, ReadOnlySpan<float> scores)
    {
        if (ids.Length != scores.Length)
        {
            throw new ArgumentException($"{ids.Length} ids but {scores.Length} scores.", nameof(scores));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(ids.Length, Capacity, nameof(ids));
        ids.CopyTo(_ids);
        scores.CopyTo(_scores);
        Count = ids.Length;
        _idsAreIndices = false;
        Reset();
    }

    /// <summary>
    /// Keeps the <paramref name="k"/> highest-scoring candidates, highest first (equal scores keep their current order),
    /// and marks the set sorted. NaN and −∞ scores are never kept.
    /// </summary>
    /// <returns>The new <see cref="Count"/>: at most <paramref name="k"/>.</returns>
    public int SelectTop(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        Span<int> order = _scratchIds.AsSpan(0, Math.Min(k, Count));
        int kept = TopKSelector.Select(_scores.AsSpan(0, Count), order);
        Reorder(order[..kept]);
        IsSorted = true;
        return kept;
    }

    /// <summary>
    /// Keeps the candidates at <paramref name="indices"/> (indices into the current candidates, each at most once), in
    /// that order. Ids, scores and probabilities move together; <see cref="IsSorted"/> is left to the caller.
    /// </summary>
    public void Reorder(ReadOnlySpan<int> indices)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(indices.Length, Count, nameof(indices));
        Span<int> ids = _scratchIds.AsSpan(0, indices.Length);
        Span<float> values = _scratchValues.AsSpan(0, indices.Length);

        // Copy out first: indices may alias the scratch ids (SelectTop passes them in).
        for (int i = 0; i < indices.Length; i++)
        {
            values[i] = _scores[indices[i]];
        }

        values.CopyTo(_scores);
        if (HasProbabilities)
        {
            for (int i = 0; i < indices.Length; i++)
            {
                values[i] = _probabilities[indices[i]];
            }

            values.CopyTo(_probabilities);
        }

        for (int i = 0; i < indices.Length; i++)
        {
            ids[i] = _idsAreIndices ? indices[i] : _ids[indices[i]];
        }

        ids.CopyTo(_ids);
        _idsAreIndices = false;
        SetCount(indices.Length);
    }

    /// <summary>Keeps the first <paramref name="count"/> candidates.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        SetCount(count);
    }

    /// <summary>Computes <see cref="Probabilities"/> = softmax(<see cref="Scores"/>) over the candidates; the mass becomes 1.</summary>
    public void Softmax()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("There is no candidate left to compute probabilities over.");
        }

        TensorPrimitives.SoftMax(_scores.AsSpan(0, Count), Probabilities);
        HasProbabilities = true;
        ProbabilityMass = 1d;
    }

    private void SetCount(int count)
    {
        Count = count;
        if (HasProbabilities)
        {
            double mass = 0;
            foreach (float p in Probabilities)
            {
                mass += p;
            }

            ProbabilityMass = mass;
        }

        if (Selected >= count)
        {
            Selected = -1;
        }
    }

    private void MaterializeIds()
    {
        if (_idsAreIndices)
        {
            for (int i = 0; i < Count; i++)
            {
                _ids[i] = i;
            }

            _idsAreIndices = false;
        }
    }

    private void Reset()
    {
        IsSorted = false;
        Selected = -1;
        HasProbabilities = false;
        ProbabilityMass = 0;
    }
}
