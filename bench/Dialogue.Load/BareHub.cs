using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureDialogue.Contracts;

namespace SecureDialogue.Load;

/// <summary>
/// The baseline: a bare ASP.NET Core SignalR hub with the real hub's shape and nothing else. Same JSON protocol over
/// WebSockets, same message size limit, same <see cref="SendEnvelope"/> request and <see cref="SendAck"/> answer, one
/// group per channel (same group names). <c>Send</c> numbers the message in its group and relays the same envelope
/// bytes to the other members; no sign-in, no checks, no storage.
/// </summary>
internal sealed class BareHub : Hub
{
    public const string Path = "/hubs/bare";

    /// <summary>Server-to-client: <c>Relay(RelayedEnvelope)</c>.</summary>
    public const string Relay = nameof(Relay);

    private static readonly ConcurrentDictionary<string, StrongBox<long>> s_sequences = new(StringComparer.Ordinal);

    /// <summary>Joins the channel's group (the real hub's <c>JoinReview</c> joins the groups of the channels read).</summary>
    public async Task<JoinedReview> JoinReview(Guid reviewId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(reviewId, "dialogue"), Context.ConnectionAborted);
        return new JoinedReview(reviewId, ["dialogue"]);
    }

    /// <summary>Numbers the envelope in its channel and relays the same bytes to the channel's other members.</summary>
    public async Task<SendAck> Send(SendEnvelope request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = GroupOf(request.ReviewId, request.Channel);
        var sequence = Interlocked.Increment(ref s_sequences.GetOrAdd(group, _ => new StrongBox<long>()).Value);
        await Clients.OthersInGroup(group).SendAsync(Relay, new RelayedEnvelope(request.ReviewId, request.Channel, sequence, request.Envelope));
        return new SendAck(sequence, Duplicate: false);
    }

    private static string GroupOf(Guid reviewId, string channel) => $"{reviewId:N}/{channel}";

    /// <summary>Runs the bare hub until killed: <c>bare-hub --urls http://127.0.0.1:0</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddSignalR(options => options.MaximumReceiveMessageSize = DialogueHubContract.MaxMessageSize)
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LoadJsonContext.Default));

        var app = builder.Build();
        app.MapHub<BareHub>(Path, options =>
        {
            options.Transports = HttpTransportType.WebSockets;
            options.ApplicationMaxBufferSize = DialogueHubContract.MaxMessageSize;
        });
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.WriteLine($"Bare SignalR hub listening on {addresses.FirstOrDefault()}");
        });
        await app.RunAsync();
        return 0;
    }
}

/// <summary>What the bare hub relays: the sender's envelope bytes, numbered in the channel.</summary>
internal sealed record RelayedEnvelope(Guid ReviewId, string Channel, long Sequence, byte[] Envelope);

/// <summary>Source-generated JSON for the hub payloads (the real server does the same for its own).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SendEnvelope))]
[JsonSerializable(typeof(SendAck))]
[JsonSerializable(typeof(RelayedEnvelope))]
[JsonSerializable(typeof(JoinedReview))]
[JsonSerializable(typeof(EnvelopeNotice))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DevTokenRequest))]
[JsonSerializable(typeof(DevTokenResponse))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
