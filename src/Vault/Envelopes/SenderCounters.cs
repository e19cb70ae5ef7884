namespace SecureDialogue.Vault.Envelopes;

/// <summary>The verdict on a sender's counter.</summary>
public enum CounterVerdict
{
    /// <summary>The next counter expected.</summary>
    InOrder,

    /// <summary>Newer than expected: <see cref="CounterCheck.Missing"/> items of this sender have not arrived.</summary>
    Gap,

    /// <summary>Not newer than the last accepted one: a replay, or an item delivered out of order.</summary>
    Replayed,
}

/// <summary>The verdict and, for a gap, how many items are missing.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Missing">Items skipped before this one.</param>
public readonly record struct CounterCheck(CounterVerdict Verdict, ulong Missing);

/// <summary>
/// Per-sender counters of one channel as a client saw them: replays are refused, gaps reported so the user
/// is shown "missing items" instead of a silently shortened dialogue. Not thread-safe.
/// </summary>
public sealed class SenderCounters
{
    private readonly Dictionary<Keys.DeviceId, ulong> _last = [];

    /// <summary>Checks and, unless it is a replay, records <paramref name="counter"/> for <paramref name="sender"/>.</summary>
    public CounterCheck Observe(Keys.DeviceId sender, ulong counter)
    {
        var last = _last.GetValueOrDefault(sender);
        if (counter <= last)
        {
            return new CounterCheck(CounterVerdict.Replayed, 0);
        }

        _last[sender] = counter;
        return counter == last + 1 ? new CounterCheck(CounterVerdict.InOrder, 0) : new CounterCheck(CounterVerdict.Gap, counter - last - 1);
    }

    /// <summary>The last counter accepted from a sender (0 if none).</summary>
    public ulong Last(Keys.DeviceId sender) => _last.GetValueOrDefault(sender);
}
