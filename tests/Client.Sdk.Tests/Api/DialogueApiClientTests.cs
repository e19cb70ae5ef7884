using System.Net;
using System.Net.Sockets;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Tests.Support;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Api;

public sealed class DialogueApiClientTests : IAsyncLifetime, IDisposable
{
    private ScriptableServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await ScriptableServer.StartAsync();
        _http = new HttpClient { BaseAddress = _server.BaseUri };
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task GetMeAsync_NoToken_UnauthorizedMappedToForbidden()
    {
        // Arrange
        var api = new DialogueApiClient(_http, _ => ValueTask.FromResult<string?>(null));

        // Act
        var me = await api.GetMeAsync();

        // Assert
        Assert.False(me.IsSuccess);
        Assert.Equal(401, me.Error.Status);
        Assert.True(me.Error.Is(ProblemTypes.Forbidden));
    }

    [Fact]
    public async Task GetReviewAsync_UnknownReview_ProblemDetailsTypeReturned()
    {
        // Arrange
        var account = _server.AddAccount("Ana", "AUT");
        var api = new DialogueApiClient(_http, _ => ValueTask.FromResult<string?>(account.Token));

        // Act
        var review = await api.GetReviewAsync(Guid.NewGuid());

        // Assert
        Assert.Equal((404, ProblemTypes.NotFound), (review.Error.Status, review.Error.Type));
        Assert.False(review.Error.IsTransient);
    }

    [Fact]
    public async Task PostEnvelopeAsync_MalformedEnvelope_TypedProblem()
    {
        // Arrange
        var account = _server.AddAccount("Ana", "AUT");
        var reviewId = _server.CreateReview("AUT", ["BRA"], (account, MemberRole.Expert));
        var api = new DialogueApiClient(_http, _ => ValueTask.FromResult<string?>(account.Token));

        // Act
        var ack = await api.PostEnvelopeAsync(new SendEnvelope(reviewId, "dialogue", [1, 2, 3]));

        // Assert
        Assert.Equal((400, ProblemTypes.MalformedEnvelope), (ack.Error.Status, ack.Error.Type));
    }

    [Fact]
    public async Task ListReviewsAsync_ServerNotListening_Unreachable()
    {
        // Arrange: a port that was free a moment ago.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var api = new DialogueApiClient(http, _ => ValueTask.FromResult<string?>("t"));

        // Act
        var reviews = await api.ListReviewsAsync();

        // Assert
        Assert.True(reviews.Error.Is(ApiError.Unreachable));
        Assert.True(reviews.Error.IsTransient);
    }

    [Fact]
    public async Task ListReviewsAsync_Cancelled_Throws()
    {
        // Arrange
        var api = new DialogueApiClient(_http, _ => ValueTask.FromResult<string?>("t"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // Act / Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.ListReviewsAsync(cancelled.Token));
    }
}
