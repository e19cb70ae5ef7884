using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace SecureDialogue.Client.Transport;

/// <summary>
/// A SignalR connection over one WebSocket: frames received are written to <see cref="Transport"/>'s input,
/// and what the hub connection writes to its output is sent as text frames. The SignalR JSON protocol
/// delimits its own messages, so frame boundaries carry no meaning.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext
{
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly Pipe _received = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _toSend = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private int _disposed;

    public WebSocketConnection(ClientWebSocket socket)
    {
        _socket = socket;
        Transport = new DuplexPipe(_received.Reader, _toSend.Writer);
    }

    public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public void Start()
    {
        _receiving = Task.Run(ReceiveLoopAsync);
        _sending = Task.Run(SendLoopAsync);
    }

    public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await base.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await _toSend.Writer.CompleteAsync().ConfigureAwait(false);
        // Let the sender close the socket gracefully, then stop receiving.
        await Task.WhenAny(_sending, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        await Task.WhenAll(_receiving, _sending).ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = _received.Writer.GetMemory(ReceiveBufferSize);
                var result = await _socket.ReceiveAsync(memory, _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _received.Writer.Advance(result.Count);
                var flush = await _received.Writer.FlushAsync(_stop.Token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            error = e;
        }
        finally
        {
            await _received.Writer.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _toSend.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        await SendAsync(buffer).ConfigureAwait(false);
                    }

                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
                finally
                {
                    _toSend.Reader.AdvanceTo(buffer.End);
                }
            }

            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The socket is gone: the receive loop completes the input and the hub connection reconnects.
            _socket.Abort();
        }
        finally
        {
            await _toSend.Reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task SendAsync(ReadOnlySequence<byte> buffer)
    {
        var position = buffer.Start;
        while (buffer.TryGet(ref position, out var segment))
        {
            var last = position.GetObject() is null;
            await _socket.SendAsync(segment, WebSocketMessageType.Text, last, _stop.Token).ConfigureAwait(false);
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
