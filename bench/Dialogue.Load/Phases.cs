using System.Diagnostics;

namespace SecureDialogue.Load;

/// <summary>What one measured phase produced.</summary>
internal sealed record PhaseResult(
    Target Target,
    string Kind,
    double Seconds,
    long Messages,
    long Deliveries,
    long OwnNotices,
    long Unmatched,
    long MissingDeliveries,
    double ServerCpuSeconds,
    double ClientCpuSeconds,
    LatencySummary Latency,
    IReadOnlyList<string> Errors,
    bool PoolExhausted)
{
    public double DeliveriesPerSecond => Deliveries / Seconds;

    public double MessagesPerSecond => Messages / Seconds;

    /// <summary>Server CPU per delivery, in microseconds.</summary>
    public double CpuPerDeliveryMicros => Deliveries == 0 ? double.NaN : ServerCpuSeconds * 1e6 / Deliveries;

    /// <summary>Share of one core the server used.</summary>
    public double ServerCores => ServerCpuSeconds / Seconds;

    public double ClientCores => ClientCpuSeconds / Seconds;
}

/// <summary>Latency percentiles in milliseconds (send or scheduled time to receipt by another member).</summary>
internal sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max)
{
    /// <summary>The sorted samples (Stopwatch ticks), to combine phases.</summary>
    public IReadOnlyList<long> Samples { get; private init; } = [];

    public static LatencySummary Of(IEnumerable<long> samples)
    {
        var ticks = samples.ToArray();
        if (ticks.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(ticks);
        double At(double q) => ticks[Math.Clamp((int)Math.Ceiling(q * ticks.Length) - 1, 0, ticks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
        return new LatencySummary(ticks.Length, At(0.50), At(0.90), At(0.99), At(0.999), ticks[^1] * 1000.0 / Stopwatch.Frequency) { Samples = ticks };
    }
}

/// <summary>
/// Runs the phases against one target's clients: saturated (closed loop) and paced (open loop at a fixed offered rate),
/// with the server's CPU time read from /proc before and after the measured window, then joins what senders were
/// acknowledged with what members received.
/// </summary>
internal sealed class PhaseRunner(IReadOnlyList<LoadClient> clients, ChildServer server, int groupSize)
{
    private static readonly TimeSpan s_drain = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(20);

    public Target Target => clients[0].Target;

    /// <summary>Every client keeps <paramref name="window"/> sends in flight for <paramref name="seconds"/>.</summary>
    public async Task<PhaseResult> SaturatedAsync(double seconds, int window)
    {
        Reset();
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(seconds * Stopwatch.Frequency);
        var (serverCpu0, clientCpu0) = (server.CpuTime(), ProcessCpu.Self());
        var loops = clients.Select(c => Task.Run(() => c.SaturateAsync(deadline, window))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var end = Stopwatch.GetTimestamp();
        var (serverCpu1, clientCpu1) = (server.CpuTime(), ProcessCpu.Self());
        await Task.WhenAll(loops).WaitAsync(s_settle);
        await Task.Delay(s_drain);
        return Analyze("saturated", start, end, serverCpu1 - serverCpu0, clientCpu1 - clientCpu0, scheduled: null);
    }

    /// <summary>
    /// Open loop: one pacing thread schedules messages at <paramref name="deliveriesPerSecond"/> / (group - 1) messages
    /// per second, spread over the channels, and each is sent at its scheduled time whatever the previous ones did.
    /// Latency runs from the scheduled time, so a server that falls behind is charged for it.
    /// </summary>
    public async Task<PhaseResult> PacedAsync(double seconds, double deliveriesPerSecond)
    {
        Reset();
        var messagesPerSecond = deliveriesPerSecond / (groupSize - 1);
        var total = (long)(seconds * messagesPerSecond);
        var interval = Stopwatch.Frequency / messagesPerSecond;
        var channels = clients.Count / groupSize;
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 50);
        var pending = new List<Task>((int)total);
        var (serverCpu0, clientCpu0) = (server.CpuTime(), ProcessCpu.Self());
        var pacer = new Thread(() =>
        {
            for (long i = 0; i < total;)
            {
                var now = Stopwatch.GetTimestamp();
                while (i < total && start + (long)(i * interval) <= now)
                {
                    // Consecutive messages go to different channels, each channel's members in turn.
                    var channel = (int)(i % channels);
                    var member = (int)(i / channels % groupSize);
                    pending.Add(clients[(channel * groupSize) + member].Dispatch(start + (long)(i * interval)));
                    i++;
                }

                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        await Task.Run(pacer.Join);
        var end = start + (long)(seconds * Stopwatch.Frequency);
        try
        {
            await Task.WhenAll(pending).WaitAsync(s_settle);
        }
        catch (TimeoutException)
        {
            // Reported as missing deliveries.
        }

        // The CPU window covers all the work for the scheduled messages, also what a lagging server did after the schedule.
        await Task.Delay(s_drain);
        var (serverCpu1, clientCpu1) = (server.CpuTime(), ProcessCpu.Self());
        return Analyze("paced", start, end, serverCpu1 - serverCpu0, clientCpu1 - clientCpu0, scheduled: total);
    }

    private void Reset()
    {
        foreach (var client in clients)
        {
            client.Reset();
        }
    }

    // Saturated: deliveries are the receipts inside [start, end] of messages sent by another member. Paced: every
    // message scheduled in the phase, whenever it arrived (missing ones are counted).
    private PhaseResult Analyze(string kind, long start, long end, TimeSpan serverCpu, TimeSpan clientCpu, long? scheduled)
    {
        var taken = clients.Select(c => (Client: c, Data: c.Take())).ToArray();
        var errors = taken.SelectMany(t => t.Data.Errors).ToList();
        long messages = 0, deliveries = 0, own = 0, unmatched = 0;
        var latencies = new List<long>();
        foreach (var channel in taken.GroupBy(t => t.Client.Channel))
        {
            var sent = new Dictionary<long, (long Timestamp, int Sender)>();
            foreach (var (client, data) in channel)
            {
                foreach (var ack in data.Acks)
                {
                    sent[ack.Sequence] = (ack.Timestamp, client.Index);
                }
            }

            messages += sent.Values.Count(v => scheduled is not null || (v.Timestamp >= start && v.Timestamp <= end));
            foreach (var (client, data) in channel)
            {
                foreach (var receipt in data.Receipts)
                {
                    if (!sent.TryGetValue(receipt.Sequence, out var origin))
                    {
                        unmatched++;
                        continue;
                    }

                    if (origin.Sender == client.Index)
                    {
                        own++;
                        continue;
                    }

                    if (scheduled is null && (receipt.Timestamp < start || receipt.Timestamp > end))
                    {
                        continue;
                    }

                    deliveries++;
                    latencies.Add(receipt.Timestamp - origin.Timestamp);
                }
            }
        }

        var seconds = (double)(end - start) / Stopwatch.Frequency;
        var missing = scheduled is { } count ? Math.Max(0, (count * (groupSize - 1)) - deliveries) : 0;
        return new PhaseResult(
            Target, kind, seconds, messages, deliveries, own, unmatched, missing,
            serverCpu.TotalSeconds, clientCpu.TotalSeconds, LatencySummary.Of(latencies),
            [.. errors.GroupBy(e => e).Select(g => $"{g.Count()} x {g.Key}")], clients.Any(c => c.Exhausted));
    }
}
