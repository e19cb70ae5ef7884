using SecureDialogue.Client.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Channels;

public sealed class SenderLedgerTests
{
    [Theory]
    [InlineData(1u)]
    [InlineData(7u)]
    [InlineData(12345u)]
    public void Observe_RandomSequence_SameVerdictsAsSenderCountersAlsoAcrossExportImport(uint seed)
    {
        // Arrange
        using var a = DeviceIdentity.Create();
        using var b = DeviceIdentity.Create();
        var reference = new SenderCounters();
        var ledger = new SenderLedger();
        var state = seed;

        for (var i = 0; i < 5000; i++)
        {
            state = state * 1664525 + 1013904223;
            var sender = (state & 1) == 0 ? a.Id : b.Id;
            var counter = (ulong)(state >> 8) % 6000 + 1;

            // Act
            var expected = reference.Observe(sender, counter);
            var actual = ledger.Observe(sender, counter);
            if (i % 500 == 0)
            {
                ledger = SenderLedger.Import(ledger.Export());
            }

            // Assert
            Assert.Equal(expected, actual);
        }

        Assert.Equal(reference.Missing(a.Id), ledger.Missing(a.Id));
    }
}
