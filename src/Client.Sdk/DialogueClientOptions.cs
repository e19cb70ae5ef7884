using Microsoft.Extensions.Logging;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client;

/// <summary>Settings of a <see cref="DialogueClient"/>.</summary>
public sealed record DialogueClientOptions
{
    /// <summary>The server's base URI, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public required Uri ServerUri { get; init; }

    /// <summary>This device's identity (opened from the key store). Not disposed by the client.</summary>
    public required DeviceIdentity Device { get; init; }

    /// <summary>The profile directory (the one holding <c>device.key</c>); the SDK keeps its state under <c>state/</c> in it.</summary>
    public required string ProfileDirectory { get; init; }

    /// <summary>Returns the current bearer token (refreshing it when needed), or null when signed out.</summary>
    public required Func<CancellationToken, ValueTask<string?>> AccessTokenProvider { get; init; }

    /// <summary>The clock. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging (ids, counts and lengths only, never content, keys or tokens). <value>Default: none.</value></summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>An HTTP handler to use instead of a new <see cref="SocketsHttpHandler"/> (tests, proxies). Not disposed by the client.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Timeout of one HTTP request. <value>Default: 30 seconds.</value></summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Delays between hub reconnection attempts; the last one repeats forever. <value>Default: 0, 1, 2, 5, 10 seconds.</value></summary>
    public IReadOnlyList<TimeSpan> ReconnectDelays { get; init; } =
        [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    /// <summary>
    /// How often a watch checks the channel over HTTP without a doorbell (a lost notice, a membership change).
    /// <value>Default: 30 seconds.</value>
    /// </summary>
    public TimeSpan WatchPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Verify every item received by inclusion in the review's archive log, against checkpoints verified by
    /// consistency (docs/protocol.md 16.7). <value>Default: true.</value>
    /// </summary>
    public bool VerifyArchive { get; init; } = true;

    /// <summary>
    /// Cosign the checkpoints this client verified, when its account is its State's focal point in the review and this
    /// device is certified as its focal point device (docs/protocol.md 16.5). <value>Default: true.</value>
    /// </summary>
    public bool CosignCheckpoints { get; init; } = true;

    /// <summary>A verified checkpoint whose signed time is older than this is stale (a frozen log). <value>Default: 24 hours.</value></summary>
    public TimeSpan ArchiveMaxAge { get; init; } = TimeSpan.FromHours(24);
}
