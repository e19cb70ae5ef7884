using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureDialogue.Client.Api;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Transport;

/// <summary>
/// The client's one connection to the dialogue hub, shared by its channel sessions: it starts in the
/// background (retrying while the server is away), reconnects forever, rejoins every review a session
/// listens to, and tells sessions to catch up by HTTP after each (re)connect. The hub is a doorbell and a
/// fast send path; everything also works over HTTP while it is down.
/// </summary>
internal sealed partial class HubLink : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly IReadOnlyList<TimeSpan> _delays;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly CancellationTokenSource _disposing = new();
    private Task _startLoop = Task.CompletedTask;

    public HubLink(Uri serverUri, Func<CancellationToken, ValueTask<string?>> accessTokenProvider, IReadOnlyList<TimeSpan> reconnectDelays,
        TimeProvider time, ILoggerFactory loggerFactory)
    {
        var hubUri = new Uri(serverUri, DialogueHubContract.Path);
        _delays = reconnectDelays;
        _time = time;
        _logger = loggerFactory.CreateLogger<HubLink>();

        var builder = new HubConnectionBuilder();
        builder.WithWebSocketUrl(hubUri, accessTokenProvider);
        builder.Services.AddSingleton(loggerFactory);
        builder.WithAutomaticReconnect(new ReconnectPolicy(reconnectDelays));
        _connection = builder.Build();

        _connection.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, n => Dispatch(n.ReviewId, n.Channel, s => s.OnEnvelopeStored(n.Sequence)));
        _connection.On<EpochNotice>(DialogueHubContract.EpochAdded, n => Dispatch(n.ReviewId, n.Channel, s => s.OnEpochAdded(n.Epoch)));
        _connection.On<TrustNotice>(DialogueHubContract.TrustChanged, n => Dispatch(n.ReviewId, null, s => s.OnTrustChanged()));
        _connection.Reconnecting += error =>
        {
            Log.Reconnecting(_logger, error);
            return Task.CompletedTask;
        };
        _connection.Reconnected += _ => OnConnectedAsync();
        _connection.Closed += _ =>
        {
            EnsureStarted();
            return Task.CompletedTask;
        };
    }

    /// <summary>True while the hub connection is up.</summary>
    public bool IsConnected => _connection.State == HubConnectionState.Connected;

    /// <summary>Listens to a channel; joins its review now if connected, else starts connecting in the background.</summary>
    public async Task<IDisposable> SubscribeAsync(Guid review, string channel, IHubSubscriber subscriber, CancellationToken cancellationToken)
    {
        var subscription = new Subscription(this, review, channel, subscriber);
        lock (_lock)
        {
            _subscriptions.Add(subscription);
        }

        if (IsConnected)
        {
            await JoinAsync(review, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            EnsureStarted();
        }

        return subscription;
    }

    /// <summary>Sends an envelope through the hub. A transport failure is <see cref="ApiError.Unreachable"/>: the caller retries with the same bytes.</summary>
    public async Task<Result<SendAck, ApiError>> SendAsync(SendEnvelope request, CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            EnsureStarted();
            return ApiError.NoAnswer("the hub is not connected");
        }

        try
        {
            return await _connection.InvokeAsync<SendAck>(DialogueHubContract.Send, request, cancellationToken).ConfigureAwait(false);
        }
        catch (HubException e)
        {
            return HubErrors.From(e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SendTransportFailed(_logger, e, request.Envelope.Length);
            return ApiError.NoAnswer("the hub connection failed during the send");
        }
    }

    /// <summary>Starts connecting in the background unless connected, connecting or disposed.</summary>
    public void EnsureStarted()
    {
        lock (_lock)
        {
            if (_disposing.IsCancellationRequested || !_startLoop.IsCompleted || _connection.State != HubConnectionState.Disconnected)
            {
                return;
            }

            _startLoop = Task.Run(StartLoopAsync);
        }
    }

    private async Task StartLoopAsync()
    {
        var attempt = 0;
        while (!_disposing.IsCancellationRequested && _connection.State == HubConnectionState.Disconnected)
        {
            try
            {
                await _connection.StartAsync(_disposing.Token).ConfigureAwait(false);
                await OnConnectedAsync().ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = _delays.Count == 0 ? TimeSpan.FromSeconds(5) : _delays[Math.Min(attempt++, _delays.Count - 1)];
                Log.StartFailed(_logger, e, delay);
                try
                {
                    await Task.Delay(delay, _time, _disposing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task OnConnectedAsync()
    {
        Subscription[] subscriptions;
        lock (_lock)
        {
            subscriptions = [.. _subscriptions];
        }

        var reviews = subscriptions.Select(s => s.Review).Distinct().ToList();
        Log.Connected(_logger, reviews.Count);
        foreach (var review in reviews)
        {
            await JoinAsync(review, _disposing.Token).ConfigureAwait(false);
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Subscriber.OnConnected();
        }
    }

    private async Task JoinAsync(Guid review, CancellationToken cancellationToken)
    {
        try
        {
            await _connection.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not fatal: the session still catches up over HTTP; the next reconnect joins again.
            Log.JoinFailed(_logger, e, review);
        }
    }

    // A channel's doorbell goes to that channel's subscribers; a review's (channel null) to every subscriber of the review.
    private void Dispatch(Guid review, string? channel, Action<IHubSubscriber> action)
    {
        Subscription[] subscriptions;
        lock (_lock)
        {
            subscriptions = [.. _subscriptions.Where(s => s.Review == review && (channel is null || string.Equals(s.Channel, channel, StringComparison.Ordinal)))];
        }

        foreach (var subscription in subscriptions)
        {
            action(subscription.Subscriber);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>Stops the connection and the background start loop.</summary>
    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _startLoop.ConfigureAwait(false);
        _disposing.Dispose();
    }

    private sealed class Subscription(HubLink link, Guid review, string channel, IHubSubscriber subscriber) : IDisposable
    {
        public Guid Review { get; } = review;

        public string Channel { get; } = channel;

        public IHubSubscriber Subscriber { get; } = subscriber;

        public void Dispose() => link.Remove(this);
    }
}
