using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Client.Transport;
using SecureDialogue.Contracts;

namespace SecureDialogue.Load;

/// <summary>Which server a client talks to.</summary>
internal enum Target
{
    Bare,
    Real,
}

/// <summary>A receipt: this client was told about (real) or handed (bare) message <see cref="Sequence"/> of its channel.</summary>
internal readonly record struct Receipt(long Sequence, long Timestamp);

/// <summary>An acknowledged send: message <see cref="Sequence"/> of the channel, sent (or scheduled) at <see cref="Timestamp"/>.</summary>
internal readonly record struct Acked(long Sequence, long Timestamp);

/// <summary>
/// One hub connection of one channel member (SignalR.Client.Core's <see cref="HubConnection"/> over the SDK's
/// <see cref="WebSocketConnectionFactory"/>), with what it sent and received during the current phase.
/// </summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly byte[][] _pool;
    private readonly HubConnection _connection;
    private List<Receipt> _receipts = new(4096);
    private List<Acked> _acks = new(1024);
    private List<string> _errors = [];
    private int _next;
    private bool _exhausted;

    private LoadClient(Target target, int index, int channel, Guid reviewId, byte[][] pool, HubConnection connection)
    {
        Target = target;
        Index = index;
        Channel = channel;
        ReviewId = reviewId;
        _pool = pool;
        _connection = connection;
    }

    public Target Target { get; }

    public int Index { get; }

    public int Channel { get; }

    public Guid ReviewId { get; }

    /// <summary>True when the real client ran out of pre-sealed envelopes (raise <c>--pool</c>).</summary>
    public bool Exhausted => Volatile.Read(ref _exhausted);

    /// <summary>Pre-sealed envelopes not sent yet.</summary>
    public int Remaining => _pool.Length - Volatile.Read(ref _next);

    public static async Task<LoadClient> ConnectAsync(Target target, Uri hubUrl, string? token, int index, int channel, Guid reviewId, byte[][] pool, CancellationToken cancellationToken)
    {
        var builder = new HubConnectionBuilder()
            .WithWebSocketUrl(hubUrl, token is null ? null : _ => ValueTask.FromResult<string?>(token))
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LoadJsonContext.Default));
        builder.Services.AddLogging();
        var connection = builder.Build();
        var client = new LoadClient(target, index, channel, reviewId, pool, connection);
        if (target == Target.Real)
        {
            connection.On<EnvelopeNotice>(DialogueHubContract.EnvelopeStored, notice => client.Received(notice.Sequence));
        }
        else
        {
            connection.On<RelayedEnvelope>(BareHub.Relay, relayed => client.Received(relayed.Sequence));
        }

        try
        {
            await connection.StartAsync(cancellationToken);
            var joined = await connection.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, reviewId, cancellationToken);
            if (!joined.Channels.Contains("dialogue"))
            {
                throw new InvalidOperationException($"Client {index} was not joined to the dialogue channel.");
            }

            return client;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets the previous phase.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _receipts = new List<Receipt>(_receipts.Capacity);
            _acks = new List<Acked>(_acks.Capacity);
            _errors = [];
        }
    }

    /// <summary>What this client received, acknowledged and saw fail in the phase.</summary>
    public (List<Receipt> Receipts, List<Acked> Acks, List<string> Errors) Take()
    {
        lock (_lock)
        {
            return (_receipts, _acks, _errors);
        }
    }

    /// <summary>Closed loop: keeps <paramref name="window"/> sends in flight until <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public async Task SaturateAsync(long deadline, int window)
    {
        using var slots = new SemaphoreSlim(window, window);
        var pending = new List<Task>();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await slots.WaitAsync();
            if (Stopwatch.GetTimestamp() >= deadline || !TryTake(out var envelope))
            {
                slots.Release();
                break;
            }

            var sent = Stopwatch.GetTimestamp();
            pending.Add(CompleteAsync(Invoke(envelope), sent, slots));
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Open loop: sends the next envelope now, for a message scheduled at <paramref name="scheduled"/>; never waits for the answer.</summary>
    public Task Dispatch(long scheduled) => TryTake(out var envelope) ? CompleteAsync(Invoke(envelope), scheduled, null) : Task.CompletedTask;

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private Task<SendAck> Invoke(byte[] envelope) =>
        _connection.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(ReviewId, "dialogue", envelope));

    // The real server checks counters: each envelope goes once, in order. The bare hub checks nothing: it cycles.
    private bool TryTake(out byte[] envelope)
    {
        var next = Interlocked.Increment(ref _next) - 1;
        if (Target == Target.Bare)
        {
            envelope = _pool[next % _pool.Length];
            return true;
        }

        if (next >= _pool.Length)
        {
            Volatile.Write(ref _exhausted, true);
            envelope = [];
            return false;
        }

        envelope = _pool[next];
        return true;
    }

    private void Received(long sequence)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _receipts.Add(new Receipt(sequence, now));
        }
    }

    private async Task CompleteAsync(Task<SendAck> invocation, long sent, SemaphoreSlim? slots)
    {
        try
        {
            var ack = await invocation;
            lock (_lock)
            {
                _acks.Add(new Acked(ack.Sequence, sent));
            }
        }
#pragma warning disable CA1031 // A failed send is counted and reported, whatever failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                _errors.Add($"{e.GetType().Name}: {e.Message}");
            }
        }
        finally
        {
            slots?.Release();
        }
    }
}
