using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Outbox;
using SecureDialogue.Client.Profile;
using SecureDialogue.Client.Transport;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Client.Channels;

/// <summary>
/// One channel of one review as this device sees it: the verified epoch chain and keys, reading and watching
/// items with their verdicts, and sending with an outbox. Methods may be called concurrently; they run one at a
/// time inside the session. Dispose it to stop listening (the outbox stays in the profile).
/// </summary>
/// <remarks>
/// Whether an item is history (opened with <c>historical: true</c>, so a member removed since can still be
/// read) is decided by its sequence against the sequence the current epoch's record was stored after, as the
/// server reports it. Until the signed archive exists, that ordering is the server's: a server colluding with
/// a removed member can present a new post of that member as history (docs/threat-model.md, 6.3).
/// </remarks>
public sealed partial class ChannelSession : IAsyncDisposable, IHubSubscriber
{
    private readonly ClientCore _core;
    private readonly ChannelStateStore _store;
    private readonly ChannelOutbox _outbox;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<bool> _doorbell = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _disposing = new();
    private readonly ILogger _logger;
    private readonly Lock _alertLock = new();
    private readonly List<ChannelAlert> _alerts = [];
    private ReviewDetail _review;
    private ReviewMember _me;
    private List<DirectoryDevice> _directory = [];
    private ReviewTrust? _trust;
    private IReadOnlyList<UnverifiedDevice> _unverified = [];
    private EpochChain _chain;
    private ChannelKeyring _keyring;
    private ChannelStateDocument _state = new();
    private SenderLedger _ledger = new();
    private Dictionary<long, CachedVerdict> _verdicts = [];
    private IDisposable? _subscription;
    private Task _background = Task.CompletedTask;
    private volatile bool _epochsDirty;
    private volatile bool _refreshDue;
    private volatile bool _trustRefreshPending;
    private int _disposed;

    private ChannelSession(ClientCore core, ReviewDetail review, ReviewMember me, ChannelId channel)
    {
        _core = core;
        _review = review;
        _me = me;
        ReviewId = review.ReviewId;
        ChannelId = channel;
        _store = new ChannelStateStore(core.Layout, review.ReviewId, channel.Value);
        _outbox = new ChannelOutbox(core.Layout, review.ReviewId, channel.Value);
        _logger = core.LoggerFactory.CreateLogger<ChannelSession>();
        _chain = new EpochChain(review.ReviewId, channel, []);
        _keyring = new ChannelKeyring(core.Device, _chain);
    }

    /// <summary>The review.</summary>
    public Guid ReviewId { get; }

    /// <summary>The channel.</summary>
    public ChannelId ChannelId { get; }

    /// <summary>The channel name.</summary>
    public string Channel => ChannelId.Value;

    /// <summary>The review as last fetched.</summary>
    public ReviewDetail Review => _review;

    /// <summary>The current verified epoch, or null when the channel has none yet.</summary>
    public uint? CurrentEpoch => _chain.Current?.Epoch;

    /// <summary>The highest channel sequence this device has processed.</summary>
    public long LastSequence => _state.LastSequence;

    /// <summary>True when this device holds the key of the current epoch (it can read new items).</summary>
    public bool CanRead => _keyring.Current is not null;

    /// <summary>True when this member may post here (not an observer) and holds the current key.</summary>
    public bool CanPost => ChannelRules.MayPost(_review, _me, ChannelId) && CanRead;

    /// <summary>Alerts raised since the session opened (forks, refused records, unverified devices...), oldest first.</summary>
    public IReadOnlyList<ChannelAlert> Alerts
    {
        get
        {
            lock (_alertLock)
            {
                return [.. _alerts];
            }
        }
    }

    /// <summary>Devices of members this client does not trust yet, as of the last refresh: excluded from new epochs.</summary>
    public IReadOnlyList<UnverifiedDevice> UnverifiedDevices => _unverified;

    /// <summary>The member devices of the current epoch, with who they belong to and how this client regards them.</summary>
    public IReadOnlyList<ItemSender> CurrentMembers =>
        _chain.Current is { } current ? [.. current.Members.Select(m => SenderOf(m.Device.Id))] : [];

    /// <summary>Items sealed but not yet acknowledged by the server (waiting in the outbox).</summary>
    public int PendingCount => _outbox.List().Count;

    internal static async Task<Result<ChannelSession, OpenError>> OpenAsync(ClientCore core, Guid reviewId, ChannelId channel, CancellationToken cancellationToken)
    {
        var me = await core.GetMeAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        if (!me.TryGetValue(out var account, out var meError))
        {
            return new OpenError(OpenErrorKind.Api, meError);
        }

        if (!account.Devices.Any(d => d.DeviceId == core.Device.Id.ToString()))
        {
            // Others can only include (and the server only accept) a registered device.
            var registered = await core.Api.RegisterDeviceAsync(core.Device.PublicKeys, cancellationToken).ConfigureAwait(false);
            if (!registered.IsSuccess)
            {
                return new OpenError(OpenErrorKind.Api, registered.Error);
            }

            _ = await core.GetMeAsync(refresh: true, cancellationToken).ConfigureAwait(false);
        }

        var review = await core.Api.GetReviewAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!review.TryGetValue(out var detail, out var reviewError))
        {
            return reviewError.Is(ProblemTypes.NotFound) ? new OpenError(OpenErrorKind.NotFound, reviewError) : new OpenError(OpenErrorKind.Api, reviewError);
        }

        if (!detail.Channels.Any(c => c.Name == channel.Value))
        {
            return new OpenError(OpenErrorKind.NotFound, null);
        }

        var member = detail.Members.FirstOrDefault(m => m.AccountId == account.AccountId);
        if (member is null || !ChannelRules.MayJoin(detail, member, channel))
        {
            return new OpenError(OpenErrorKind.NotAReader, null);
        }

        var session = new ChannelSession(core, detail, member, channel);
        try
        {
            session.LoadState();
            var error = await session.RefreshCoreAsync(reloadReview: false, cancellationToken).ConfigureAwait(false);
            if (error is { } api)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                return new OpenError(OpenErrorKind.Api, api);
            }

            if (session._store.ReadCounter() == 0 && session.CanPost)
            {
                // No own counter saved (a new or lost profile): reconcile with the history before any send.
                var caughtUp = await session.ReadCoreAsync(session._state.LastSequence, cancellationToken).ConfigureAwait(false);
                if (!caughtUp.IsSuccess)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                    return new OpenError(OpenErrorKind.Api, caughtUp.Error);
                }
            }

            session._subscription = await core.Hub.SubscribeAsync(reviewId, channel.Value, session, cancellationToken).ConfigureAwait(false);
            await session.FlushOutboxAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch (IOException)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return new OpenError(OpenErrorKind.Profile, null);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Fetches the review, the member directory and the epoch records again; opens or rotates the epoch when
    /// the trusted member devices differ from the current epoch (this member permitting).
    /// </summary>
    /// <returns>Null on success, else the error that stopped the refresh.</returns>
    public async Task<ApiError?> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshCoreAsync(reloadReview: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    void IHubSubscriber.OnEnvelopeStored(long sequence) => _doorbell.Writer.TryWrite(true);

    void IHubSubscriber.OnEpochAdded(uint epoch)
    {
        _epochsDirty = true;
        _doorbell.Writer.TryWrite(true);
    }

    // Trust changed on the server: refetch members, statements and policy, and rotate the epoch if the devices that
    // should hold keys changed (a revoked or removed reader, a secretariat device the policy no longer names), even
    // when nobody is watching; a watcher also wakes up.
    void IHubSubscriber.OnTrustChanged()
    {
        _refreshDue = true;
        _doorbell.Writer.TryWrite(true);
        lock (_alertLock)
        {
            // A burst of notices needs one refresh that has not started yet, after whatever runs in the background.
            if (_disposing.IsCancellationRequested || _trustRefreshPending)
            {
                return;
            }

            _trustRefreshPending = true;
            _background = RefreshInBackgroundAsync(_background);
        }
    }

    void IHubSubscriber.OnConnected()
    {
        _refreshDue = true;
        _doorbell.Writer.TryWrite(true);
        lock (_alertLock)
        {
            if (_disposing.IsCancellationRequested || !_background.IsCompleted)
            {
                return;
            }

            _background = Task.Run(FlushInBackgroundAsync);
        }
    }

    private async Task RefreshInBackgroundAsync(Task previous)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        try
        {
            await _gate.WaitAsync(_disposing.Token).ConfigureAwait(false);
            try
            {
                _trustRefreshPending = false;
                if (await RefreshCoreAsync(reloadReview: true, _disposing.Token).ConfigureAwait(false) is { } error)
                {
                    Log.BackgroundRefreshFailed(_logger, error.Type);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (IOException e)
        {
            Log.BackgroundFlushFailed(_logger, e);
        }
    }

    private async Task FlushInBackgroundAsync()
    {
        try
        {
            await FlushOutboxAsync(_disposing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (IOException e)
        {
            Log.BackgroundFlushFailed(_logger, e);
        }
    }

    private void Alert(ChannelAlert alert)
    {
        lock (_alertLock)
        {
            if (!_alerts.Contains(alert))
            {
                _alerts.Add(alert);
                Log.AlertRaised(_logger, alert.Kind, alert.Epoch);
            }
        }
    }

    /// <summary>Stops listening and wipes the keys held in memory. The outbox and state stay in the profile.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        _subscription?.Dispose();
        _doorbell.Writer.TryComplete();
        Task background;
        lock (_alertLock)
        {
            background = _background;
        }

        await background.ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _keyring.Dispose();
        }
        finally
        {
            _gate.Release();
        }

        _disposing.Dispose();
    }
}
