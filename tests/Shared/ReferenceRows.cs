using PadKernel.Alignment;
using PadKernel.Models;

namespace PadKernel.Testing;

/// <summary>
/// Fresh single sequences for a request's base context, each reward context and each reward's own reference context,
/// fed the tokens a decode chose, so a test recomputes every step's rule from the rows' own logits (<see cref="PadMath"/>).
/// </summary>
public sealed class ReferenceRows : IDisposable
{
    private readonly IModelSequence _base;
    private readonly IModelSequence[] _rewards;
    private readonly IModelSequence?[] _references;
    private readonly TokenMapping?[] _mappings;

    public ReferenceRows(DecodeRequest request)
    {
        _base = Start(request.Model, request.Context);
        _rewards = request.Rewards.Select(r => Start(r.Model, r.Context)).ToArray();
        _mappings = request.Rewards.Select(r => TokenMapping.SharesVocabulary(request.Model, r.Model) ? null : TokenMapping.For(request.Model, r.Model)).ToArray();
        _references = request.Rewards.Select(r => r.ReferenceContext is { } context ? Start(request.Model, context) : null).ToArray();
    }

    /// <summary>Gets a copy of the base context's next-token logits.</summary>
    public float[] Base => _base.Logits.ToArray();

    /// <summary>Gets a copy of reward context <paramref name="index"/>'s next-token logits.</summary>
    public float[] Reward(int index) => _rewards[index].Logits.ToArray();

    /// <summary>Gets a copy of the next-token logits reward <paramref name="index"/> is measured against: its own reference context's, else the base context's.</summary>
    public float[] Reference(int index) => _references[index]?.Logits.ToArray() ?? Base;

    /// <summary>Appends the chosen token to every context (a reward model with another tokenizer reads its encoding).</summary>
    public void Append(int token)
    {
        _base.Append([token]);
        for (int i = 0; i < _rewards.Length; i++)
        {
            _rewards[i].Append(_mappings[i] is { } mapping ? mapping.Encoding(token) : [token]);
            _references[i]?.Append([token]);
        }
    }

    public void Dispose()
    {
        foreach (IModelSequence sequence in All())
        {
            sequence.Dispose();
        }
    }

    private static IModelSequence Start(ILanguageModel model, IReadOnlyList<int> context)
    {
        IModelSequence sequence = model.CreateSequence();
        sequence.Append(context.ToArray());
        return sequence;
    }

    private IEnumerable<IModelSequence> All() => [_base, .. _rewards, .. _references.OfType<IModelSequence>()];
}
