namespace PadKernel.Evaluation.Running;

/// <summary>Progress of an evaluation run.</summary>
/// <param name="Completed">Cells finished, including those resumed from an earlier run.</param>
/// <param name="Total">Cells in the run.</param>
/// <param name="Current">The cell just finished, for display.</param>
public readonly record struct EvalProgress(int Completed, int Total, string Current);
