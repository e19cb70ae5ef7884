using System.Runtime.CompilerServices;
using SecureDialogue.Client.Api;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    /// <summary>
    /// Yields the channel's items after <paramref name="sinceSequence"/>, then new items as they arrive: on the
    /// hub's doorbell, after every reconnect (catch-up by HTTP), and every
    /// <see cref="DialogueClientOptions.WatchPollInterval"/> (which also re-checks membership and rotates the
    /// epoch when needed). Network failures are retried with a delay; the sequence ends only when cancelled or
    /// when the session is disposed.
    /// </summary>
    /// <param name="sinceSequence">Start after this sequence; null: after the last one processed (only new items).</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    public async IAsyncEnumerable<DialogueItem> WatchAsync(long? sinceSequence = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = sinceSequence ?? _state.LastSequence;
        var failures = 0;
        while (!_disposing.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (items, error) = await WatchStepAsync(after, cancellationToken).ConfigureAwait(false);
            if (items is null)
            {
                var delays = _core.Options.ReconnectDelays;
                var delay = delays.Count == 0 ? TimeSpan.FromSeconds(5) : delays[Math.Min(failures++, delays.Count - 1)];
                Log.WatchReadFailed(_logger, error?.Type ?? "", delay);
                await Task.Delay(delay, _core.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            failures = 0;
            foreach (var item in items)
            {
                after = Math.Max(after, item.Sequence);
                yield return item;
            }

            if (!await WaitForDoorbellAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }
        }
    }

    private async Task<(IReadOnlyList<DialogueItem>? Items, ApiError? Error)> WatchStepAsync(long after, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_refreshDue && await RefreshCoreAsync(reloadReview: true, cancellationToken).ConfigureAwait(false) is { } refreshError)
            {
                return (null, refreshError);
            }

            var read = await ReadCoreAsync(after, cancellationToken).ConfigureAwait(false);
            return read.TryGetValue(out var items, out var error) ? (items, null) : (null, error);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Waits for the hub's doorbell or the poll interval (which schedules a membership refresh). False once disposed.
    private async Task<bool> WaitForDoorbellAsync(CancellationToken cancellationToken)
    {
        using var poll = new CancellationTokenSource(_core.Options.WatchPollInterval, _core.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, poll.Token);
        try
        {
            if (!await _doorbell.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                return false;
            }

            _doorbell.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _refreshDue = true;
        }

        return true;
    }
}
