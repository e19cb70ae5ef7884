using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SecureDialogue.Client.Tests.Identity.Support;

/// <summary>Keeps every log line (message and structured values) so that a test can search them for secrets.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
        _lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} [{values}] {exception}");
    }

    /// <summary>All lines as one text.</summary>
    public string Text => string.Join('\n', _lines);
}
