using PadKernel.Alignment;
using PadKernel.Models;

namespace PadKernel.Testing;

/// <summary>
/// Fresh single sequences for a request's base context and each reward context, fed the tokens a decode chose, so a
/// test recomputes every step's rule from the rows' own logits (<see cref="PadMath"/>).
/// </summary>
public sealed class ReferenceRows : IDisposable
{
    private readonly IModelSequence _base;
    private readonly IModelSequence[] _rewards;

    public ReferenceRows(DecodeRequest request)
    {
        _base = request.Model.CreateSequence();
        _base.Append(request.Context.ToArray());
        _rewards = request.Rewards.Select(r => r.Model.CreateSequence()).ToArray();
        for (int i = 0; i < _rewards.Length; i++)
        {
            _rewards[i].Append(request.Rewards[i].Context.ToArray());
        }
    }

    /// <summary>Gets a copy of the base context's next-token logits.</summary>
    public float[] Base => _base.Logits.ToArray();

    /// <summary>Gets a copy of reward context <paramref name="index"/>'s next-token logits.</summary>
    public float[] Reward(int index) => _rewards[index].Logits.ToArray();

    /// <summary>Appends the chosen token to every context.</summary>
    public void Append(int token)
    {
        _base.Append([token]);
        foreach (IModelSequence reward in _rewards)
        {
            reward.Append([token]);
        }
    }

    public void Dispose()
    {
        _base.Dispose();
        foreach (IModelSequence reward in _rewards)
        {
            reward.Dispose();
        }
    }
}
