using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>A member with a device, a profile directory and a <see cref="DialogueClient"/> against the double.</summary>
internal sealed class Participant : IAsyncDisposable
{
    private readonly TempDirectory? _ownedProfile;
    private readonly List<ChannelSession> _sessions = [];
    private readonly bool _ownsDevice;
    private bool _stopped;

    private Participant(ScriptableServer.Account account, DeviceIdentity device, string profile, TempDirectory? ownedProfile, DialogueClient client, bool ownsDevice)
    {
        _ownsDevice = ownsDevice;
        Account = account;
        Device = device;
        Profile = profile;
        _ownedProfile = ownedProfile;
        Client = client;
    }

    public ScriptableServer.Account Account { get; }

    public DeviceIdentity Device { get; }

    public string Profile { get; }

    public DialogueClient Client { get; }

    /// <summary>Creates the client and registers the device.</summary>
    public static async Task<Participant> JoinAsync(
        ScriptableServer server, ScriptableServer.Account account, DeviceIdentity? device = null, string? profile = null, TimeSpan? pollInterval = null,
        TimeProvider? time = null)
    {
        var owned = profile is null ? new TempDirectory() : null;
        var ownsDevice = device is null;
        device ??= DeviceIdentity.Create();
        var client = new DialogueClient(new DialogueClientOptions
        {
            ServerUri = server.BaseUri,
            Device = device,
            ProfileDirectory = profile ?? owned!.Path,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(account.Token),
            ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250)],
            WatchPollInterval = pollInterval ?? TimeSpan.FromSeconds(2),
            HttpTimeout = TimeSpan.FromSeconds(10),
            TimeProvider = time ?? TimeProvider.System,
        });
        var participant = new Participant(account, device, profile ?? owned!.Path, owned, client, ownsDevice);
        var registered = await client.RegisterDeviceAsync();
        Assert.True(registered.IsSuccess, registered.ToString());
        return participant;
    }

    /// <summary>Opens a channel and asserts it opened.</summary>
    public async Task<ChannelSession> OpenAsync(Guid reviewId, string channel = "dialogue")
    {
        var opened = await Client.OpenChannelAsync(reviewId, channel);
        Assert.True(opened.IsSuccess, $"open failed: {opened.Error}");
        _sessions.Add(opened.Value);
        return opened.Value;
    }

    /// <summary>As a focal point, publishes this device's root statement for the review (what opening a channel also does) and asserts it worked.</summary>
    public async Task PublishRootAsync(Guid reviewId)
    {
        var members = await Client.GetMembersAsync(reviewId);
        Assert.True(members.IsSuccess, $"members failed: {members.Error}");
    }

    /// <summary>Publishes the root statements of focal points, so that nobody opens a channel before the others' roots exist.</summary>
    public static async Task PublishRootsAsync(Guid reviewId, params Participant[] focalPoints)
    {
        foreach (var focalPoint in focalPoints)
        {
            await focalPoint.PublishRootAsync(reviewId);
        }
    }

    /// <summary>As this participant's State's focal point, certifies <paramref name="other"/>'s device and asserts it was stored.</summary>
    public async Task CertifyAsync(Guid reviewId, Participant other, CertifiedRole role = CertifiedRole.Expert, bool history = true)
    {
        var certified = await Client.CertifyAsync(reviewId, other.Device.PublicKeys, other.Account.Id, role, history);
        Assert.True(certified.IsSuccess, $"certify failed: {certified.Error}");
    }

    /// <summary>Waits until the client's hub connection is up.</summary>
    public async Task WaitForHubAsync()
    {
        for (var i = 0; i < 600 && !Client.HubConnected; i++)
        {
            await Task.Delay(25);
        }

        Assert.True(Client.HubConnected, "the hub did not connect");
    }

    /// <summary>Reads the whole channel and asserts the read succeeded.</summary>
    public static async Task<IReadOnlyList<DialogueItem>> ReadAllAsync(ChannelSession session, long since = 0)
    {
        var read = await session.ReadAsync(since);
        Assert.True(read.IsSuccess, $"read failed: {read.Error}");
        return read.Value;
    }

    /// <summary>Stops this client (sessions and hub) and starts a new one on the same device and profile.</summary>
    public async Task<Participant> RestartAsync(ScriptableServer server)
    {
        await StopAsync();
        return await JoinAsync(server, Account, Device, Profile);
    }

    private async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        await Client.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDevice)
        {
            Device.Dispose();
        }

        _ownedProfile?.Dispose();
    }
}
