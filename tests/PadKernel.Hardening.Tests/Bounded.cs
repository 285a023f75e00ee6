namespace PadKernel.Hardening.Tests;

/// <summary>Runs a case on the thread pool with a time limit, so a hang fails the test instead of stalling the run.</summary>
internal static class Bounded
{
    /// <summary>Runs <paramref name="action"/>; the outcome says whether it finished in time and what it threw.</summary>
    public static async Task<Outcome> RunAsync(Action action, TimeSpan timeout)
    {
        Task<Exception?> attempt = Task.Run<Exception?>(() => Record.Exception(action));
        try
        {
            return new Outcome(true, await attempt.WaitAsync(timeout));
        }
        catch (TimeoutException)
        {
            return new Outcome(false, null);
        }
    }

    public readonly record struct Outcome(bool Finished, Exception? Error);
}
