using System.Text;

namespace PadKernel.Decoding;

/// <summary>
/// Finds stop sequences in streamed text even when they span several tokens. Text that could still turn out to be
/// the start of a stop sequence is held back until it is known not to be.
/// </summary>
public sealed class StopSequenceMatcher
{
    private readonly string[] _stops;
    private readonly StringBuilder _pending = new();

    /// <summary>Initializes a new instance of the <see cref="StopSequenceMatcher"/> class.</summary>
    public StopSequenceMatcher(IEnumerable<string> stopSequences)
    {
        ArgumentNullException.ThrowIfNull(stopSequences);
        _stops = stopSequences.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Gets a value indicating whether a stop sequence has been seen.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Feeds newly decoded text; returns the text that is now safe to emit.</summary>
    public string Push(ReadOnlySpan<char> text)
    {
        if (Stopped)
        {
            return string.Empty;
        }

        if (_stops.Length == 0)
        {
            return text.ToString();
        }

        _pending.Append(text);
        string pending = _pending.ToString();
        int stopAt = -1;
        foreach (string stop in _stops)
        {
            int index = pending.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (stopAt < 0 || index < stopAt))
            {
                stopAt = index;
            }
        }

        if (stopAt >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return pending[..stopAt];
        }

        int hold = LongestPossibleStart(pending);
        _pending.Clear().Append(pending, pending.Length - hold, hold);
        return pending[..^hold];
    }

    /// <summary>Returns the text still held back (at the end of generation it is not a stop sequence).</summary>
    public string Flush()
    {
        string rest = Stopped ? string.Empty : _pending.ToString();
        _pending.Clear();
        return rest;
    }

    // The longest suffix of the text that is a proper prefix of some stop sequence.
    private int LongestPossibleStart(string text)
    {
        int best = 0;
        foreach (string stop in _stops)
        {
            for (int length = Math.Min(stop.Length - 1, text.Length); length > best; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    best = length;
                    break;
                }
            }
        }

        return best;
    }
}
