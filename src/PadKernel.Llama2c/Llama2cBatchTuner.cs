using System.Diagnostics;

namespace PadKernel.Llama2c;

/// <summary>
/// Chooses, step by step, whether a batch runs split across two threads or all on the caller's thread, by measuring
/// both. On an idle machine the split nearly halves a step; on a machine whose other core is busy the pool thread
/// starts late and the caller's own batched pass (one weight pass for all sequences) is faster. The costs drift with
/// the sequence position and the machine's load, so the slower mode is re-measured every few steps.
/// </summary>
/// <remarks>Belongs to the first sequence of a batch (sequences are single-threaded), so it needs no locking. Either mode gives bit-identical logits.</remarks>
internal sealed class Llama2cBatchTuner
{
    private const int ProbeInterval = 16;
    private const double Smoothing = 0.25;

    private double _parallelCost;
    private double _serialCost;
    private int _steps;

    public bool ChooseParallel()
    {
        _steps++;
        if (_parallelCost == 0)
        {
            return true;
        }

        if (_serialCost == 0)
        {
            return false;
        }

        bool parallelIsBetter = _parallelCost <= _serialCost;
        return _steps % ProbeInterval == 0 ? !parallelIsBetter : parallelIsBetter;
    }

    public void Record(bool parallel, long startTimestamp)
    {
        double cost = Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;
        ref double estimate = ref parallel ? ref _parallelCost : ref _serialCost;
        estimate = estimate == 0 ? cost : estimate + (Smoothing * (cost - estimate));
    }
}
