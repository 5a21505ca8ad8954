using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Testing.Logging;

/// <summary>Keeps every Information-or-above log entry of a host or service, so a test can read the story its logs tell.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    /// <summary>The messages logged so far, oldest first.</summary>
    public IReadOnlyList<string> Messages => Entries.Select(e => e.Message).ToList();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    /// <summary>A typed logger for a service built by hand in a test.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new Factory(this));

    public void Dispose()
    {
    }

    private sealed class Factory(CollectingLoggerProvider provider) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
