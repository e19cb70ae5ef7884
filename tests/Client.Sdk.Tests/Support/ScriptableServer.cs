using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>
/// A scriptable, possibly malicious SecureDialogue server for client tests: an in-process ASP.NET Core app
/// on real Kestrel (127.0.0.1, random port) serving the Contracts HTTP API and the SignalR dialogue hub, with
/// items in memory. By default it behaves as the binding design says; <see cref="Script"/> and the methods
/// below make it tamper, drop, reorder, replay, fork, substitute cards, add ghost devices and inject records.
/// Bearer tokens are account tokens handed out by <see cref="AddAccount"/>.
/// </summary>
internal sealed partial class ScriptableServer : IAsyncDisposable
{
    private readonly TimeProvider _time = TimeProvider.System;
    private WebApplication _app = null!;

    private ScriptableServer()
    {
    }

    /// <summary>The server's base URI.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Misbehaviour switches.</summary>
    public ServerScript Script { get; } = new();

    public static async Task<ScriptableServer> StartAsync()
    {
        var server = new ScriptableServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(server);
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.UseWebSockets();
        server.MapHttp(app);
        server.MapArchive(app);
        server.MapTrust(app);
        server.MapAmendments(app);
        app.MapHub<DialogueHub>(DialogueHubContract.Path);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        server._app = app;
        return server;
    }

    /// <summary>Creates an account; its bearer token is returned with it.</summary>
    public Account AddAccount(string displayName, string? stateCode, bool isSecretariat = false)
    {
        lock (_lock)
        {
            var account = new Account(Guid.NewGuid(), "token-" + Guid.NewGuid().ToString("N"), displayName, stateCode, isSecretariat);
            _accountsByToken[account.Token] = account;
            return account;
        }
    }

    /// <summary>Creates a review with channels dialogue and reviewers and the given members.</summary>
    public Guid CreateReview(string reviewedState, IReadOnlyList<string> reviewingStates, params (Account Account, MemberRole Role)[] members)
    {
        lock (_lock)
        {
            var review = new ReviewRecord { Id = Guid.NewGuid(), ReviewedState = reviewedState, ReviewingStates = [.. reviewingStates], CreatedAt = _time.GetUtcNow() };
            foreach (var (account, role) in members)
            {
                review.Members.Add(new ReviewMember(account.Id, account.DisplayName, account.StateCode, role));
            }

            _reviews[review.Id] = review;
            return review.Id;
        }
    }

    /// <summary>Removes a member from a review (the secretariat's change).</summary>
    public void RemoveMember(Guid reviewId, Account account)
    {
        lock (_lock)
        {
            _reviews[reviewId].Members.RemoveAll(m => m.AccountId == account.Id);
        }
    }

    /// <summary>The stored envelopes of a channel (live objects: tampering hooks change their bytes).</summary>
    public IReadOnlyList<StoredItem> Items(Guid reviewId, string channel)
    {
        lock (_lock)
        {
            return [.. Channel(reviewId, channel).Items];
        }
    }

    /// <summary>The stored epoch records of a channel.</summary>
    public IReadOnlyList<byte[]> Records(Guid reviewId, string channel)
    {
        lock (_lock)
        {
            return [.. Channel(reviewId, channel).Epochs.Select(e => e.Record)];
        }
    }

    /// <summary>Changes the bytes of a stored envelope (the stored copy: every later fetch sees it).</summary>
    public void Tamper(Guid reviewId, string channel, long sequence, Func<byte[], byte[]> change)
    {
        lock (_lock)
        {
            var item = Channel(reviewId, channel).Items.Single(i => i.Sequence == sequence);
            item.Bytes = change([.. item.Bytes]);
        }
    }

    /// <summary>Swaps the bytes stored at two sequences (the server reorders).</summary>
    public void Swap(Guid reviewId, string channel, long first, long second)
    {
        lock (_lock)
        {
            var items = Channel(reviewId, channel).Items;
            var a = items.Single(i => i.Sequence == first);
            var b = items.Single(i => i.Sequence == second);
            (a.Bytes, b.Bytes) = (b.Bytes, a.Bytes);
        }
    }

    /// <summary>Stores arbitrary bytes as the channel's next item without any check (replay, injection, cross-channel delivery).</summary>
    public long Inject(Guid reviewId, string channel, byte[] bytes)
    {
        lock (_lock)
        {
            return Append(Channel(reviewId, channel), bytes, null, null, 0).Sequence;
        }
    }

    /// <summary>Stores an epoch record as the channel's next one without any check.</summary>
    public void InjectEpochRecord(Guid reviewId, string channel, byte[] record) =>
        AddEpoch(null!, reviewId, channel, record, validate: false);

    /// <summary>Replaces the card (and so the id) of a device in the directory: the server substitutes a member's key.</summary>
    public void SubstituteCard(string deviceId, DevicePublicKeys newCard)
    {
        lock (_lock)
        {
            var index = _devices.FindIndex(d => d.DeviceId == deviceId);
            var old = _devices[index];
            _devices[index] = old with { DeviceId = newCard.Id.ToString(), Card = newCard.Encode() };
        }
    }

    /// <summary>Adds a device to an account without its owner (a ghost device).</summary>
    public void AddGhostDevice(Account account, DevicePublicKeys card)
    {
        lock (_lock)
        {
            _devices.Add(new DeviceRecord(card.Id.ToString(), account.Id, card.Encode(), _time.GetUtcNow()));
        }
    }

    /// <summary>Decodes the header of a stored item (for assertions).</summary>
    public static EnvelopeHeader HeaderOf(StoredItem item) => Envelope.Decode(item.Bytes).Value!.Header;

    private Account? Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        lock (_lock)
        {
            return _accountsByToken.GetValueOrDefault(authorization["Bearer ".Length..]);
        }
    }

    private async Task NotifyStoredAsync(Guid reviewId, string channel, long sequence)
    {
        var hub = _app.Services.GetRequiredService<IHubContext<DialogueHub, IDialogueClient>>();
        await hub.Clients.Group(GroupName(reviewId, channel)).EnvelopeStored(new EnvelopeNotice(reviewId, channel, sequence));
    }

    private async Task NotifyEpochAsync(Guid reviewId, string channel, uint epoch)
    {
        var hub = _app.Services.GetRequiredService<IHubContext<DialogueHub, IDialogueClient>>();
        await hub.Clients.Group(GroupName(reviewId, channel)).EpochAdded(new EpochNotice(reviewId, channel, epoch));
    }

    internal static string GroupName(Guid reviewId, string channel) => $"{reviewId:N}/{channel}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
