using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace SecureDialogue.Client.Transport;

/// <summary>
/// One open WebSocket as a SignalR connection: a duplex pipe whose input is pumped from the socket and whose output is
/// pumped to it. The server closing the socket completes the input; the application completing the output (or
/// disposing) closes the socket with a normal closure. Frames are sent as text or binary per the active transfer format.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext, ITransferFormatFeature
{
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket;
    private readonly Pipe _fromSocket = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly Pipe _toSocket = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly CancellationTokenSource _aborted = new();
    private readonly CancellationTokenSource _closed = new();
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private ConnectionAbortedException? _abortReason;
    private int _disposed;

    private WebSocketConnection(ClientWebSocket socket, Uri uri)
    {
        _socket = socket;
        RemoteEndPoint = new UriEndPoint(uri);
        Transport = new DuplexPipe(_fromSocket.Reader, _toSocket.Writer);
        Features.Set<ITransferFormatFeature>(this);
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public TransferFormat SupportedFormats => TransferFormat.Text | TransferFormat.Binary;

    public TransferFormat ActiveFormat { get; set; } = TransferFormat.Text;

    public static WebSocketConnection Start(ClientWebSocket socket, Uri uri)
    {
        var connection = new WebSocketConnection(socket, uri);
        connection._receiving = connection.ReceiveAsync();
        connection._sending = connection.SendAsync();
        return connection;
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // The receive loop owns the input writer: it completes it with this reason once the socket is torn down.
        _abortReason = abortReason;
        _aborted.Cancel();
        _socket.Abort();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await base.DisposeAsync().ConfigureAwait(false);
            return;
        }

        // Completing our side of the output makes the send loop close the socket with a normal closure.
        await _toSocket.Writer.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_sending, _receiving).WaitAsync(s_closeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The server did not answer the close: drop the connection.
        }

        await _aborted.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        await Task.WhenAll(_sending, _receiving).ConfigureAwait(false);
        await _fromSocket.Reader.CompleteAsync().ConfigureAwait(false);
        await _toSocket.Reader.CompleteAsync().ConfigureAwait(false);
        _socket.Dispose();
        _aborted.Dispose();
        _closed.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // Socket → application. Ends when the server closes (input completes normally) or the socket fails (input
    // completes with the error, which HubConnection reports as the reason it closed).
    private async Task ReceiveAsync()
    {
        var writer = _fromSocket.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(4096);
                var result = await _socket.ReceiveAsync(memory, _aborted.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _aborted.Token).ConfigureAwait(false);
                    }

                    if (_socket.CloseStatus is not (WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable))
                    {
                        error = new WebSocketException($"The server closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                    }

                    break;
                }

                writer.Advance(result.Count);
                var flush = await writer.FlushAsync(_aborted.Token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_aborted.IsCancellationRequested)
        {
            // Disposed, or aborted by the application (then with its reason).
            error = _abortReason;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            error = _aborted.IsCancellationRequested ? _abortReason : e;
        }
        finally
        {
            await writer.CompleteAsync(error).ConfigureAwait(false);
            await _closed.CancelAsync().ConfigureAwait(false);
        }
    }

    // Application → socket. Ends when the application completes its output (then closes the socket normally) or the
    // socket fails.
    private async Task SendAsync()
    {
        var reader = _toSocket.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_aborted.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        await SendBufferAsync(buffer).ConfigureAwait(false);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_aborted.Token);
                timeout.CancelAfter(s_closeTimeout);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed or aborted, or the server did not take our close in time.
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // The receive loop reports the failure to the application.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task SendBufferAsync(ReadOnlySequence<byte> buffer)
    {
        var type = ActiveFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        if (buffer.IsSingleSegment)
        {
            await _socket.SendAsync(buffer.First, type, endOfMessage: true, _aborted.Token).ConfigureAwait(false);
            return;
        }

        var position = buffer.Start;
        buffer.TryGet(ref position, out var previous);
        while (buffer.TryGet(ref position, out var next))
        {
            await _socket.SendAsync(previous, type, endOfMessage: false, _aborted.Token).ConfigureAwait(false);
            previous = next;
        }

        await _socket.SendAsync(previous, type, endOfMessage: true, _aborted.Token).ConfigureAwait(false);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
