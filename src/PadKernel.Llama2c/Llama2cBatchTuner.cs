using System.Diagnostics;

namespace PadKernel.Llama2c;

/// <summary>
/// Chooses, step by step, whether a batch runs split across two threads or all on the caller's thread, by measuring
/// both. On an idle machine the split nearly halves a step; on a machine whose other core is busy the pool thread
/// starts late, competes with the caller for the same cores, and the caller's own batched pass is faster. A step is
/// timed from one batch to the next, so costs a mode leaves behind (a pool thread still spinning while the caller
/// picks the next token) count against it. Each mode is judged by the fastest of its last few cycles, which ignores the
/// cycles the scheduler happened to interrupt; the costs drift with the position and the machine's load, so the slower
/// mode is re-measured every few steps.
/// </summary>
/// <remarks>Belongs to the first sequence of a batch (sequences are single-threaded), so it needs no locking. Either mode gives bit-identical logits.</remarks>
internal sealed class Llama2cBatchTuner
{
    private const int ProbeInterval = 8;
    private const int Window = 4;

    // Gaps longer than this are the caller doing something else between steps, not a step's cost.
    private const double MaxCycleMicroseconds = 5_000;

    private readonly double[] _parallelCosts = new double[Window];
    private readonly double[] _serialCosts = new double[Window];
    private int _parallelCount;
    private int _serialCount;
    private int _steps;
    private long _lastStart;
    private bool _lastParallel;

    /// <summary>Records the cycle that ends now and picks the mode of the next one.</summary>
    public bool ChooseParallel()
    {
        long now = Stopwatch.GetTimestamp();
        if (_lastStart != 0)
        {
            double cost = Stopwatch.GetElapsedTime(_lastStart, now).TotalMicroseconds;
            if (cost < MaxCycleMicroseconds)
            {
                if (_lastParallel)
                {
                    _parallelCosts[_parallelCount++ % Window] = cost;
                }
                else
                {
                    _serialCosts[_serialCount++ % Window] = cost;
                }
            }
        }

        _lastStart = now;
        _steps++;
        bool parallel;
        if (_parallelCount == 0)
        {
            parallel = true;
        }
        else if (_serialCount == 0)
        {
            parallel = false;
        }
        else
        {
            bool parallelIsBetter = Best(_parallelCosts, _parallelCount) <= Best(_serialCosts, _serialCount);
            parallel = _steps % ProbeInterval == 0 ? !parallelIsBetter : parallelIsBetter;
        }

        _lastParallel = parallel;
        return parallel;
    }

    private static double Best(double[] costs, int count)
    {
        double best = double.MaxValue;
        for (int i = 0; i < Math.Min(count, Window); i++)
        {
            best = Math.Min(best, costs[i]);
        }

        return best;
    }
}
