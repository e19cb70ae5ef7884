using System.Diagnostics;
using SecureDialogue.Client;
using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Load;

/// <summary>One fresh profile's catch-up against the pure cost of opening the same envelopes.</summary>
internal sealed record CatchUpRun(
    int Profile, double OpenSeconds, double ReadSeconds, double PureSeconds, int Items, int Verified, double ServerCpuSeconds, double ReadCpuSeconds, double PureCpuSeconds,
    string Verdicts)
{
    public double Ratio => ReadSeconds / PureSeconds;
}

/// <summary>What the catch-up measured.</summary>
internal sealed record CatchUpResult(int Messages, int EnvelopeBytes, double FillSeconds, IReadOnlyList<CatchUpRun> Runs);

/// <summary>
/// A fresh device (a new, empty SDK profile) of a reader of one channel catches up N messages with
/// <see cref="ChannelSession.ReadAsync"/> from sequence 0: HTTP pages from the real server, JSON, and the SDK's full
/// verdict processing (decode, open with <see cref="EnvelopeOpener"/>, sender counters, gaps, state file). The
/// baseline is the same envelopes opened with <see cref="EnvelopeOpener.Open(ReadOnlyMemory{byte}, ChannelKeyring, bool)"/>
/// in a loop, in this process, with the same device's keyring: decrypt + verify and nothing else.
/// </summary>
internal static class CatchUp
{
    /// <summary>Senders of the catch-up channel (members of a channel of 10, like the load's).</summary>
    private const int Writers = 10;

    public static async Task<CatchUpResult> RunAsync(RealWorld world, ChildServer server, LoadOptions options, string workDirectory, CancellationToken cancellationToken)
    {
        var (reviewId, key, record, writers, reader) = await world.CreateCatchUpReviewAsync(Writers, workDirectory, cancellationToken);
        using var ownedKey = key;
        var createdAt = TimeProvider.System.GetUtcNow();
        var perWriter = (options.CatchUpMessages + Writers - 1) / Writers;
        var pools = new byte[Writers][][];
        Parallel.For(0, Writers, w => pools[w] = RealWorld.Seal(writers[w], key, 1, perWriter, options.MessageBytes, createdAt));

        // Fill the channel through the real hub: the writers send at once, each its envelopes in counter order.
        var fill = Stopwatch.StartNew();
        var hub = new Uri(server.BaseAddress, DialogueHubContract.Path);
        var senders = new List<LoadClient>();
        try
        {
            for (var w = 0; w < Writers; w++)
            {
                senders.Add(await LoadClient.ConnectAsync(Target.Real, hub, writers[w].Token, -1 - w, -1, reviewId, pools[w], cancellationToken));
            }

            var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 180);
            await Task.WhenAll(senders.Select(s => Task.Run(() => s.SaturateAsync(deadline, window: 1))));
            foreach (var sender in senders)
            {
                var (_, acks, errors) = sender.Take();
                if (acks.Count != perWriter || errors.Count > 0)
                {
                    throw new InvalidOperationException($"Filling the catch-up channel stored {acks.Count} of {perWriter} for one writer: {string.Join("; ", errors.Take(3))}");
                }
            }
        }
        finally
        {
            foreach (var sender in senders)
            {
                await sender.DisposeAsync();
            }
        }

        fill.Stop();
        var envelopes = pools.SelectMany(p => p).ToArray();

        // The pure baseline's keyring: the reader's own device over the verified epoch 0.
        var chain = new EpochChain(reviewId, ChannelId.Dialogue, [writers[0].Device.Id]);
        if (!chain.Accept(record.Encoded.Span).IsSuccess)
        {
            throw new InvalidOperationException("Epoch 0 of the catch-up channel does not verify.");
        }

        using var keyring = new ChannelKeyring(reader.Device, chain);
        if (!keyring.Unlock(chain.Records[0]).IsSuccess)
        {
            throw new InvalidOperationException("The reader cannot unlock epoch 0.");
        }

        // Profile 0 warms both processes up (the SDK's code paths here, the page query on the server) and is reported
        // apart; profiles 1.. are the measurement. Each is a new, empty profile directory of the same device.
        var runs = new List<CatchUpRun>();
        for (var profile = 0; profile <= options.CatchUpProfiles; profile++)
        {
            var client = reader.Client(server.BaseAddress, Path.Combine(workDirectory, $"catch-up-profile-{profile}"), TimeSpan.FromSeconds(120), options.CatchUpArchiveChecks);
            await using (client)
            {
                var open = Stopwatch.StartNew();
                var opened = await client.OpenChannelAsync(reviewId, "dialogue", cancellationToken);
                open.Stop();
                if (!opened.TryGetValue(out var session, out var openError))
                {
                    throw new InvalidOperationException($"The fresh profile could not open the channel: {openError}");
                }

                await using (session)
                {
                    // The baseline runs right before and right after the read; its mean is the reference.
                    var (pureBefore, pureBeforeCpu) = OpenAllMeasured(envelopes, keyring);
                    var (serverCpu0, clientCpu0) = (server.CpuTime(), ProcessCpu.Self());
                    var read = Stopwatch.StartNew();
                    var items = await session.ReadAsync(0, cancellationToken);
                    read.Stop();
                    var (serverCpu, clientCpu) = (server.CpuTime() - serverCpu0, ProcessCpu.Self() - clientCpu0);
                    if (!items.TryGetValue(out var list, out var readError))
                    {
                        throw new InvalidOperationException($"Catching up failed: {readError}");
                    }

                    var verified = list.Count(i => i.Status == DialogueItemStatus.Verified && i.Text is { Length: > 0 });
                    var alerts = session.Alerts;
                    var (pureAfter, pureAfterCpu) = OpenAllMeasured(envelopes, keyring);
                    runs.Add(new CatchUpRun(
                        profile, open.Elapsed.TotalSeconds, read.Elapsed.TotalSeconds, (pureBefore + pureAfter).TotalSeconds / 2, list.Count, verified,
                        serverCpu.TotalSeconds, clientCpu.TotalSeconds, (pureBeforeCpu + pureAfterCpu).TotalSeconds / 2, Verdicts(list, alerts)));
                }
            }
        }

        return new CatchUpResult(envelopes.Length, envelopes[0].Length, fill.Elapsed.TotalSeconds, runs);
    }

    // What the SDK said about the items and the channel, so that a run whose items did not all verify says why.
    private static string Verdicts(IReadOnlyList<DialogueItem> items, IReadOnlyList<ChannelAlert> alerts)
    {
        var verdicts = items.GroupBy(i => $"{i.Status}{(i.Error is { } e ? $"/{e}" : string.Empty)} archive {i.Archive} sender {i.Sender?.Trust.ToString() ?? "-"}")
            .Select(g => $"{g.Count()} {g.Key}");
        var problems = alerts.GroupBy(a => a.Kind).Select(g => $"{g.Count()} alert {g.Key}: {g.First().Message}");
        return string.Join("; ", verdicts.Concat(problems));
    }

    private static (TimeSpan Elapsed, TimeSpan Cpu) OpenAllMeasured(byte[][] envelopes, ChannelKeyring keyring)
    {
        var cpu = ProcessCpu.Self();
        var elapsed = OpenAll(envelopes, keyring, envelopes.Length);
        return (elapsed, ProcessCpu.Self() - cpu);
    }

    private static TimeSpan OpenAll(byte[][] envelopes, ChannelKeyring keyring, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (!EnvelopeOpener.Open(envelopes[i], keyring).IsSuccess)
            {
                throw new InvalidOperationException($"Envelope {i + 1} does not open.");
            }
        }

        return watch.Elapsed;
    }
}
