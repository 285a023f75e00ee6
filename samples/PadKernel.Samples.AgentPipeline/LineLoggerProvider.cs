using Microsoft.Extensions.Logging;

namespace PadKernel.Samples.AgentPipeline;

/// <summary>A logger provider that hands each message (Debug and up) to a callback as one short line.</summary>
internal sealed class LineLoggerProvider(Action<string> write) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(write, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }

    private sealed class LineLogger(Action<string> write, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                write($"  [{logLevel.ToString().ToLowerInvariant()}] {category}: {formatter(state, exception)}");
            }
        }
    }
}
