using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>A member with a device, a profile directory and a <see cref="DialogueClient"/> against the double.</summary>
internal sealed class Participant : IAsyncDisposable
{
    private readonly TempDirectory? _ownedProfile;
    private readonly List<ChannelSession> _sessions = [];

    private Participant(ScriptableServer.Account account, DeviceIdentity device, string profile, TempDirectory? ownedProfile, DialogueClient client)
    {
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
        ScriptableServer server, ScriptableServer.Account account, DeviceIdentity? device = null, string? profile = null, TimeSpan? pollInterval = null)
    {
        var owned = profile is null ? new TempDirectory() : null;
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
        });
        var participant = new Participant(account, device, profile ?? owned!.Path, owned, client);
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

    /// <summary>Waits until the client's hub connection is up.</summary>
    public async Task WaitForHubAsync()
    {
        for (var i = 0; i < 200 && !Client.HubConnected; i++)
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

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        await Client.DisposeAsync();
        Device.Dispose();
        _ownedProfile?.Dispose();
    }
}
