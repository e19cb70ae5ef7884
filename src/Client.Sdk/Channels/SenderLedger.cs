using SecureDialogue.Client.Profile;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Channels;

/// <summary>
/// Per-sender counters of one channel, as <see cref="SenderCounters"/> (docs/protocol.md section 8) with the
/// same verdicts, but whose state can be saved in the profile and restored, so that replays and gaps are
/// still recognised after a restart. Only counters of envelopes that opened are observed. Not thread-safe.
/// </summary>
internal sealed class SenderLedger
{
    private readonly Dictionary<DeviceId, State> _senders = [];

    public CounterCheck Observe(DeviceId sender, ulong counter)
    {
        if (!_senders.TryGetValue(sender, out var state))
        {
            state = new State();
            _senders[sender] = state;
        }

        if (counter <= state.Last)
        {
            return state.Missing.Remove(counter) ? new CounterCheck(CounterVerdict.Late, 0) : new CounterCheck(CounterVerdict.Replayed, 0);
        }

        var skipped = counter - state.Last - 1;
        for (var missing = Math.Max(state.Last + 1, counter - Math.Min(skipped, SenderCounters.MaxTrackedMissing)); missing < counter; missing++)
        {
            state.Missing.Add(missing);
        }

        while (state.Missing.Count > SenderCounters.MaxTrackedMissing)
        {
            state.Missing.Remove(state.Missing.Min);
        }

        state.Last = counter;
        return skipped == 0 ? new CounterCheck(CounterVerdict.InOrder, 0) : new CounterCheck(CounterVerdict.Gap, skipped);
    }

    public ulong Last(DeviceId sender) => _senders.TryGetValue(sender, out var state) ? state.Last : 0;

    public IReadOnlyCollection<ulong> Missing(DeviceId sender) => _senders.TryGetValue(sender, out var state) ? [.. state.Missing] : [];

    public List<SenderLedgerState> Export() =>
        [.. _senders.Select(s => new SenderLedgerState(s.Key.ToString(), s.Value.Last, [.. s.Value.Missing]))];

    public static SenderLedger Import(IEnumerable<SenderLedgerState> states)
    {
        var ledger = new SenderLedger();
        foreach (var s in states)
        {
            if (!DeviceId.TryParse(s.Device, out var id))
            {
                continue;
            }

            var state = new State { Last = s.Last };
            foreach (var m in s.Missing.Where(m => m >= 1 && m < s.Last).TakeLast(SenderCounters.MaxTrackedMissing))
            {
                state.Missing.Add(m);
            }

            ledger._senders[id] = state;
        }

        return ledger;
    }

    private sealed class State
    {
        public ulong Last { get; set; }

        public SortedSet<ulong> Missing { get; } = [];
    }
}
