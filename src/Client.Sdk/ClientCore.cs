using Microsoft.Extensions.Logging;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Profile;
using SecureDialogue.Client.Transport;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client;

/// <summary>What a <see cref="DialogueClient"/> shares with its channel sessions.</summary>
internal sealed class ClientCore
{
    private readonly Lazy<HubLink> _hub;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Archive.ReviewArchive> _archives = new();

    public ClientCore(DialogueClientOptions options, DialogueApiClient api, ProfileLayout layout, TrustStore trust, ILoggerFactory loggerFactory)
    {
        Options = options;
        Api = api;
        Layout = layout;
        Trust = trust;
        LoggerFactory = loggerFactory;
        _hub = new Lazy<HubLink>(() => new HubLink(options.ServerUri, options.AccessTokenProvider, options.ReconnectDelays, options.TimeProvider, loggerFactory));
    }

    public DialogueClientOptions Options { get; }

    public DialogueApiClient Api { get; }

    public ProfileLayout Layout { get; }

    public TrustStore Trust { get; }

    public ILoggerFactory LoggerFactory { get; }

    public DeviceIdentity Device => Options.Device;

    public TimeProvider Time => Options.TimeProvider;

    public HubLink Hub => _hub.Value;

    public bool HubCreated => _hub.IsValueCreated;

    public MeResponse? Me { get; private set; }

    /// <summary>The review's archive view, shared by its channel sessions.</summary>
    public Archive.ReviewArchive Archive(Guid review) => _archives.GetOrAdd(review, r => new Archive.ReviewArchive(this, r));

    public async Task<Result<MeResponse, ApiError>> GetMeAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (Me is { } cached && !refresh)
        {
            return cached;
        }

        var me = await Api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        if (me.IsSuccess)
        {
            Me = me.Value;
        }

        return me;
    }
}
