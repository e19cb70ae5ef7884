using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// The channel groups each secretariat connection joined, per review, so a disclosure policy statement takes effect on
/// connections already open: a withdrawn channel's group is left (no more of its doorbells), a newly named one joined.
/// Secretariat joins and policy changes pass one gate, so a join that read the previous policy cannot register after
/// the change was applied. Entries leave with their connection. Per process, as SignalR groups are without a backplane.
/// </summary>
internal sealed partial class HubSubscriptions(IHubContext<DialogueHub, IDialogueClient> hub, ILogger<HubSubscriptions> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();

    // Review -> connection -> the channel groups it is in; connection -> its reviews (for the cleanup on disconnect).
    private readonly Dictionary<Guid, Dictionary<string, HashSet<string>>> _byReview = [];
    private readonly Dictionary<string, HashSet<Guid>> _byConnection = new(StringComparer.Ordinal);

    // The latest policy version applied per review: two statements committing close together may arrive out of order.
    private readonly Dictionary<Guid, uint> _applied = [];

    /// <summary>Enters the gate a secretariat join holds while it reads the policy, joins the groups and registers.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_gate);
    }

    /// <summary>Records the channel groups a secretariat connection joined (call inside <see cref="EnterAsync"/>).</summary>
    public void Joined(string connectionId, Guid reviewId, IEnumerable<string> channels)
    {
        lock (_lock)
        {
            if (!_byReview.TryGetValue(reviewId, out var connections))
            {
                connections = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                _byReview[reviewId] = connections;
            }

            connections[connectionId] = new HashSet<string>(channels, StringComparer.Ordinal);
            if (!_byConnection.TryGetValue(connectionId, out var reviews))
            {
                reviews = [];
                _byConnection[connectionId] = reviews;
            }

            reviews.Add(reviewId);
        }
    }

    /// <summary>Forgets a closed connection (SignalR removes it from its groups itself).</summary>
    public void Disconnected(string connectionId)
    {
        lock (_lock)
        {
            if (!_byConnection.Remove(connectionId, out var reviews))
            {
                return;
            }

            foreach (var reviewId in reviews)
            {
                if (_byReview.TryGetValue(reviewId, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
                {
                    _byReview.Remove(reviewId);
                }
            }
        }
    }

    /// <summary>The secretariat connections joined to the review (for tests and diagnostics).</summary>
    public int Count(Guid reviewId)
    {
        lock (_lock)
        {
            return _byReview.TryGetValue(reviewId, out var connections) ? connections.Count : 0;
        }
    }

    /// <summary>
    /// After a policy statement committed: moves the review's secretariat connections to the groups of exactly the
    /// channels the policy now names. Failures are logged, never thrown (the statement is stored; the connection's next
    /// join reads it).
    /// </summary>
    public async Task PolicyChangedAsync(Guid reviewId, uint version, IReadOnlyCollection<string> secretariatChannels)
    {
        var readable = ChannelRules.All.Where(c => ChannelRules.Reads(c, MemberRole.Secretariat, null, secretariatChannels)).ToHashSet(StringComparer.Ordinal);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            List<(string Connection, HashSet<string> Channels)> joined;
            lock (_lock)
            {
                if (_applied.TryGetValue(reviewId, out var applied) && applied >= version)
                {
                    return;
                }

                _applied[reviewId] = version;
                joined = _byReview.TryGetValue(reviewId, out var connections) ? [.. connections.Select(c => (c.Key, c.Value))] : [];
            }

            foreach (var (connection, channels) in joined)
            {
                await MoveAsync(reviewId, connection, channels, readable).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task MoveAsync(Guid reviewId, string connection, HashSet<string> channels, HashSet<string> readable)
    {
        try
        {
            foreach (var channel in channels.Where(c => !readable.Contains(c)).ToList())
            {
                await hub.Groups.RemoveFromGroupAsync(connection, DialogueGroups.Channel(reviewId, channel)).ConfigureAwait(false);
                lock (_lock)
                {
                    channels.Remove(channel);
                }
            }

            foreach (var channel in readable.Where(c => !channels.Contains(c)).ToList())
            {
                await hub.Groups.AddToGroupAsync(connection, DialogueGroups.Channel(reviewId, channel)).ConfigureAwait(false);
                lock (_lock)
                {
                    channels.Add(channel);
                }
            }
        }
#pragma warning disable CA1031 // The statement is stored; the reads themselves are refused by ReviewAccess whatever the groups say.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Failed(logger, reviewId, e.GetType().Name);
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 592, Level = LogLevel.Warning, Message = "Moving secretariat connections of review {ReviewId} to the policy's channels failed ({ExceptionType})")]
        public static partial void Failed(ILogger logger, Guid reviewId, string exceptionType);
    }
}
