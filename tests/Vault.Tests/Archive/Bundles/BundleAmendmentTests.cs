using System.Text;
using SecureDialogue.Testing.Bundles;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Tests.Archive.Bundles;

/// <summary>Correction and Retraction entries in a sealed bundle (docs/protocol.md 17.5, 21.3): checked by signature and author rule.</summary>
public sealed class BundleAmendmentTests
{
    private static readonly DateTimeOffset At = BundleScenario.Start.AddDays(1);

    [Fact]
    public async Task Verify_AuthorsCorrectionAndRetraction_Valid()
    {
        // Arrange: the manager corrects its first dialogue item by its second, then retracts the second.
        using var scenario = await BundleScenario.CreateAsync(envelopes: 4);
        var (first, firstIndex) = DialogueEnvelopeOf(scenario, scenario.Manager, 1);
        var (second, secondIndex) = DialogueEnvelopeOf(scenario, scenario.Manager, 2);
        scenario.Add(ArchiveEntryKind.Correction, AmendmentCodec.SignCorrection(first, second, scenario.Manager, At).Encoded, firstIndex);
        scenario.Add(ArchiveEntryKind.Retraction, AmendmentCodec.SignRetraction(second, scenario.Manager, At).Encoded, secondIndex);
        scenario.Add(ArchiveEntryKind.Retraction, Encoding.UTF8.GetBytes("{\"format\":\"securedialogue-publication/v1\",\"event\":\"publication-withdrawn\"}"), firstIndex);
        scenario.Close();

        // Act
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(await scenario.WriteAsync()));

        // Assert
        Assert.True(result.IsValid, result.Failure?.ToString());
        Assert.Equal(2, result.Summary!.EntriesByKind[ArchiveEntryKind.Retraction]);
        Assert.Equal(1, result.Summary.EntriesByKind[ArchiveEntryKind.Correction]);
    }

    [Fact]
    public async Task Verify_RetractionOfAnotherDevicesItem_AmendmentInvalid()
    {
        // Arrange: the expert signs a retraction of the manager's item.
        using var scenario = await BundleScenario.CreateAsync(envelopes: 4);
        var (first, firstIndex) = DialogueEnvelopeOf(scenario, scenario.Manager, 1);
        scenario.Add(ArchiveEntryKind.Retraction, AmendmentCodec.SignRetraction(first, scenario.Expert, At).Encoded, firstIndex);
        var index = scenario.TreeSize - 1;
        scenario.Close();

        // Act
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(await scenario.WriteAsync()));

        // Assert
        Assert.Equal(BundleFailureReason.AmendmentInvalid, result.Failure?.Reason);
        Assert.Equal(index, result.Failure!.EntryIndex);
    }

    [Theory]
    [InlineData("wrong-target")]
    [InlineData("wrong-kind")]
    [InlineData("bad-signature")]
    public async Task Verify_AmendmentNotMatchingItsEntry_AmendmentInvalid(string variant)
    {
        // Arrange
        using var scenario = await BundleScenario.CreateAsync(envelopes: 4);
        var (first, firstIndex) = DialogueEnvelopeOf(scenario, scenario.Manager, 1);
        var (_, secondIndex) = DialogueEnvelopeOf(scenario, scenario.Manager, 2);
        var statement = AmendmentCodec.SignRetraction(first, scenario.Manager, At).Encoded;
        if (variant == "bad-signature")
        {
            statement[^1] ^= 0x01;
        }

        scenario.Add(variant == "wrong-kind" ? ArchiveEntryKind.Correction : ArchiveEntryKind.Retraction, statement, variant == "wrong-target" ? secondIndex : firstIndex);
        scenario.Close();

        // Act
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(await scenario.WriteAsync()));

        // Assert
        Assert.Equal(BundleFailureReason.AmendmentInvalid, result.Failure?.Reason);
    }

    private static (Envelope Envelope, long Index) DialogueEnvelopeOf(BundleScenario scenario, DeviceIdentity sender, ulong counter)
    {
        foreach (var entry in scenario.Entries.Where(e => e.Kind == ArchiveEntryKind.Envelope))
        {
            var envelope = Envelope.Decode(entry.Payload).Value!;
            if (envelope.Header.Channel.Value == "dialogue" && envelope.Header.Sender == sender.Id && envelope.Header.Counter == counter)
            {
                return (envelope, entry.Index);
            }
        }

        throw new InvalidOperationException("no such envelope in the scenario");
    }
}
