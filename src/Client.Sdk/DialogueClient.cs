using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Profile;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client;

/// <summary>
/// The SecureDialogue client for one device and one server: the HTTP API, the hub connection shared by
/// channel sessions, and the profile state (device pins, per-channel epochs, counters and outbox). Build one
/// per process; dispose it to close the hub connection.
/// </summary>
public sealed partial class DialogueClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ClientCore _core;

    /// <summary>Creates a client. Nothing is sent until a method is called.</summary>
    /// <param name="options">Server, device, profile directory, token provider and clock.</param>
    /// <exception cref="IOException">The profile's device pins exist but cannot be read (they are never silently reset).</exception>
    public DialogueClient(DialogueClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = options.HttpHandler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true);
        _http.BaseAddress = options.ServerUri;
        _http.Timeout = options.HttpTimeout;
        Api = new DialogueApiClient(_http, options.AccessTokenProvider);
        var layout = new ProfileLayout(options.ProfileDirectory, options.ServerUri);
        _core = new ClientCore(options, Api, layout, TrustStore.Load(layout), options.LoggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>The typed HTTP API, for calls the client does not wrap.</summary>
    public DialogueApiClient Api { get; }

    /// <summary>This device's public card.</summary>
    public DevicePublicKeys Device => _core.Device.PublicKeys;

    /// <summary>True while the hub connection is up (it starts when a channel is opened).</summary>
    public bool HubConnected => _core.HubCreated && _core.Hub.IsConnected;

    /// <summary>The signed-in account and its devices (<c>GET /api/me</c>).</summary>
    public Task<Result<MeResponse, ApiError>> GetMeAsync(CancellationToken cancellationToken = default) =>
        _core.GetMeAsync(refresh: true, cancellationToken);

    /// <summary>Registers this device's card with the signed-in account (idempotent on the server).</summary>
    public Task<Result<DeviceEntry, ApiError>> RegisterDeviceAsync(CancellationToken cancellationToken = default) =>
        Api.RegisterDeviceAsync(_core.Device.PublicKeys, cancellationToken);

    /// <summary>The reviews the signed-in account takes part in (for <c>sdlg reviews list</c>).</summary>
    public Task<Result<IReadOnlyList<ReviewSummary>, ApiError>> ListReviewsAsync(CancellationToken cancellationToken = default) =>
        Api.ListReviewsAsync(cancellationToken);

    /// <summary>A review with its members and channels (for <c>sdlg reviews show</c>).</summary>
    public Task<Result<ReviewDetail, ApiError>> GetReviewAsync(Guid reviewId, CancellationToken cancellationToken = default) =>
        Api.GetReviewAsync(reviewId, cancellationToken);

    /// <summary>
    /// Opens a channel of a review: registers this device if the account does not list it yet, verifies its epoch records (refusing and reporting bad ones, keeping forks as
    /// evidence), unlocks this device's keys, opens epoch 0 or rotates when this member may and must, starts
    /// listening on the hub and sends what the outbox still holds.
    /// </summary>
    /// <param name="reviewId">The review.</param>
    /// <param name="channel">The channel name, e.g. <c>dialogue</c> or <c>reviewers</c>.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public async Task<Result<ChannelSession, OpenError>> OpenChannelAsync(Guid reviewId, string channel, CancellationToken cancellationToken = default)
    {
        if (!ChannelId.TryParse(channel, out var channelId))
        {
            return new OpenError(OpenErrorKind.InvalidChannel, null);
        }

        return await ChannelSession.OpenAsync(_core, reviewId, channelId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This client's verified view of a review's archive log (checkpoint state, refresh, gossip, evidence).</summary>
    public Archive.ReviewArchive GetArchive(Guid reviewId) => _core.Archive(reviewId);

    /// <summary>
    /// Trusts a device the user verified by comparing <see cref="UnverifiedDevice.SafetyNumber"/> with its owner.
    /// It is included in the next epoch a session of this client writes.
    /// </summary>
    /// <returns>False when the card is invalid or does not match the device id.</returns>
    public bool TrustDevice(UnverifiedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (DevicePublicKeys.Decode(device.Card) is not { IsSuccess: true } card || card.Value.Id.ToString() != device.DeviceId)
        {
            return false;
        }

        _core.Trust.Trust(device.AccountId, card.Value, _core.Time.GetUtcNow());
        return true;
    }

    /// <summary>Closes the hub connection. Sessions should be disposed first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_core.HubCreated)
        {
            await _core.Hub.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
    }
}

/// <summary>Why a channel could not be opened.</summary>
public enum OpenErrorKind
{
    /// <summary>The channel name is not 1-32 of <c>a-z 0-9 -</c>.</summary>
    InvalidChannel = 1,

    /// <summary>The review or the channel does not exist (for this account).</summary>
    NotFound = 2,

    /// <summary>The signed-in account is not a member who reads this channel.</summary>
    NotAReader = 3,

    /// <summary>The server could not be reached or refused (<see cref="OpenError.Api"/>).</summary>
    Api = 4,

    /// <summary>The profile's state for this channel could not be written.</summary>
    Profile = 5,
}

/// <summary>Why a channel could not be opened.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="Api">The server's answer for <see cref="OpenErrorKind.Api"/>.</param>
public readonly record struct OpenError(OpenErrorKind Kind, ApiError? Api);
