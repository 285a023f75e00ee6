namespace PadKernel.Logits;

/// <summary>
/// Runs one request's chain of <see cref="ILogitsProcessor"/> links over a pooled <see cref="TokenCandidates"/> (in the
/// spirit of llama.cpp's sampler chain): load the base row, apply every link in order, read the token the last link —
/// a selector — chose. Allocation-free per step.
/// </summary>
internal sealed class LogitsPipeline
{
    private readonly ILogitsProcessor[] _links;
    private readonly TokenCandidates _candidates;
    private readonly LogitsStep _step;

    /// <param name="links">The links, a selector last.</param>
    /// <param name="step">The request's step view.</param>
    /// <param name="vocabularySize">The base model's vocabulary size.</param>
    public LogitsPipeline(ILogitsProcessor[] links, LogitsStep step, int vocabularySize)
    {
        _links = links;
        _step = step;
        _candidates = new TokenCandidates(vocabularySize);
    }

    /// <summary>Gets the request's step view.</summary>
    public LogitsStep Step => _step;

    /// <summary>Resets every link and lets it accept the prompt's tokens; called once before the first step.</summary>
    public void Start()
    {
        foreach (ILogitsProcessor link in _links)
        {
            link.Reset();
        }

        foreach (int id in _step.PromptIds)
        {
            foreach (ILogitsProcessor link in _links)
            {
                link.Accept(id);
            }
        }
    }

    /// <summary>Chooses the next token from the current step's rows.</summary>
    public int Select()
    {
        _candidates.Load(_step.BaseLogits);
        foreach (ILogitsProcessor link in _links)
        {
            link.Apply(_candidates, _step);
        }

        return _candidates.Selected >= 0 && _candidates.Selected < _candidates.Count
            ? _candidates.IdAt(_candidates.Selected)
            : throw new InvalidOperationException("The logits pipeline ended without a selector choosing a candidate.");
    }

    /// <summary>Tells every link the token the contexts appended, and moves the step view to the next step.</summary>
    public void Accept(int tokenId)
    {
        foreach (ILogitsProcessor link in _links)
        {
            link.Accept(tokenId);
        }

        _step.Append(tokenId);
    }
}
