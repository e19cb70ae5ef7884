namespace SecureDialogue.Vault.Envelopes;

/// <summary>The verdict on a sender's counter.</summary>
public enum CounterVerdict
{
    /// <summary>The next counter expected.</summary>
    InOrder,

    /// <summary>Newer than expected: <see cref="CounterCheck.Missing"/> items of this sender have not arrived.</summary>
    Gap,

    /// <summary>An item reported missing earlier has arrived out of order; it fills its gap.</summary>
    Late,

    /// <summary>A counter already seen (a replay), or older than anything this client still waits for.</summary>
    Replayed,
}

/// <summary>The verdict and, for a gap, how many items are missing.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Missing">Items skipped before this one (for <see cref="CounterVerdict.Gap"/>).</param>
public readonly record struct CounterCheck(CounterVerdict Verdict, ulong Missing);

/// <summary>
/// Per-sender counters of one channel as a client saw them: replays are refused, gaps reported so the user
/// is shown "missing items" instead of a silently shortened dialogue, and late arrivals fill their gap.
/// At most <see cref="MaxTrackedMissing"/> missing counters are remembered per sender; older ones count as
/// lost for good. Not thread-safe.
/// </summary>
public sealed class SenderCounters
{
    /// <summary>How many missing counters are remembered per sender.</summary>
    public const int MaxTrackedMissing = 4096;

    private readonly Dictionary<Keys.DeviceId, SenderState> _senders = [];

    /// <summary>Checks and, unless it is a replay, records <paramref name="counter"/> for <paramref name="sender"/>.</summary>
    public CounterCheck Observe(Keys.DeviceId sender, ulong counter)
    {
        if (!_senders.TryGetValue(sender, out var state))
        {
            state = new SenderState();
            _senders[sender] = state;
        }

        if (counter <= state.Last)
        {
            return state.Missing.Remove(counter) ? new CounterCheck(CounterVerdict.Late, 0) : new CounterCheck(CounterVerdict.Replayed, 0);
        }

        var skipped = counter - state.Last - 1;
        for (var missing = Math.Max(state.Last + 1, counter - Math.Min(skipped, MaxTrackedMissing)); missing < counter; missing++)
        {
            state.Missing.Add(missing);
        }

        while (state.Missing.Count > MaxTrackedMissing)
        {
            state.Missing.Remove(state.Missing.Min);
        }

        state.Last = counter;
        return skipped == 0 ? new CounterCheck(CounterVerdict.InOrder, 0) : new CounterCheck(CounterVerdict.Gap, skipped);
    }

    /// <summary>The highest counter seen from a sender (0 if none).</summary>
    public ulong Last(Keys.DeviceId sender) => _senders.TryGetValue(sender, out var state) ? state.Last : 0;

    /// <summary>Counters of a sender still missing, oldest first.</summary>
    public IReadOnlyCollection<ulong> Missing(Keys.DeviceId sender) =>
        _senders.TryGetValue(sender, out var state) ? [.. state.Missing] : [];

    private sealed class SenderState
    {
        public ulong Last { get; set; }

        public SortedSet<ulong> Missing { get; } = [];
    }
}
