using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Tests.Envelopes;

public sealed class SenderCountersTests
{
    private static readonly DeviceId s_alice = DeviceId.FromBytes(Enumerable.Repeat((byte)1, 16).ToArray());
    private static readonly DeviceId s_bob = DeviceId.FromBytes(Enumerable.Repeat((byte)2, 16).ToArray());

    [Fact]
    public void Observe_ConsecutiveCounters_InOrder()
    {
        var counters = new SenderCounters();
        Assert.Equal(CounterVerdict.InOrder, counters.Observe(s_alice, 1).Verdict);
        Assert.Equal(CounterVerdict.InOrder, counters.Observe(s_alice, 2).Verdict);
        Assert.Equal(CounterVerdict.InOrder, counters.Observe(s_bob, 1).Verdict);
    }

    [Fact]
    public void Observe_SameCounterTwice_ReplayedWithoutEffect()
    {
        var counters = new SenderCounters();
        counters.Observe(s_alice, 1);
        counters.Observe(s_alice, 2);

        var replay = counters.Observe(s_alice, 2);
        var older = counters.Observe(s_alice, 1);

        Assert.Equal(CounterVerdict.Replayed, replay.Verdict);
        Assert.Equal(CounterVerdict.Replayed, older.Verdict);
        Assert.Equal(2UL, counters.Last(s_alice));
    }

    [Fact]
    public void Observe_SkippedCounters_GapWithMissingCount()
    {
        var counters = new SenderCounters();
        counters.Observe(s_alice, 1);

        var check = counters.Observe(s_alice, 5);

        Assert.Equal(new CounterCheck(CounterVerdict.Gap, 3), check);
    }

    [Fact]
    public void Observe_ReorderedDelivery_LateItemFillsItsGapOnce()
    {
        var counters = new SenderCounters();
        counters.Observe(s_alice, 1);
        Assert.Equal(CounterVerdict.Gap, counters.Observe(s_alice, 4).Verdict);
        Assert.Equal([2UL, 3UL], counters.Missing(s_alice));

        Assert.Equal(CounterVerdict.Late, counters.Observe(s_alice, 2).Verdict);
        Assert.Equal(CounterVerdict.Replayed, counters.Observe(s_alice, 2).Verdict);
        Assert.Equal([3UL], counters.Missing(s_alice));
    }

    [Fact]
    public void Observe_HugeJump_RemembersOnlyTheNewestMissingCounters()
    {
        var counters = new SenderCounters();
        counters.Observe(s_alice, 1);

        var check = counters.Observe(s_alice, 1_000_000);

        Assert.Equal(new CounterCheck(CounterVerdict.Gap, 999_998), check);
        Assert.Equal(SenderCounters.MaxTrackedMissing, counters.Missing(s_alice).Count);
        Assert.Equal(CounterVerdict.Replayed, counters.Observe(s_alice, 2).Verdict);
        Assert.Equal(CounterVerdict.Late, counters.Observe(s_alice, 999_999).Verdict);
    }
}
