using SecureDialogue.Client.Archive;
using SecureDialogue.Client.Channels;
using SecureDialogue.Client.Tests.Support;

namespace SecureDialogue.Client.Tests.Channels;

/// <summary>
/// Corrections and retractions (docs/protocol.md 21) through the SDK: the author corrects (replacement first, then the
/// statement) and retracts; readers verify each statement (signature by the author's card from the epoch record, the
/// author rule, inclusion in the archive log) before marking items, and ignore with an alert one that does not verify.
/// </summary>
public sealed class AmendmentTests : IAsyncLifetime
{
    private DialogueFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await DialogueFixture.StartAsync();
        _f.Server.Script.Archive = true;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task CorrectAndRetract_ByTheAuthor_ReadersSeeVerifiedMarkers()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        Assert.True((await ana.SendAsync("Teh answer to 5.1")).IsSuccess);
        Assert.True((await ana.SendAsync("A remark to withdraw")).IsSuccess);
        var original = (await Participant.ReadAllAsync(ana))[0];

        // Act
        var corrected = await ana.CorrectAsync(original, "The answer to 5.1");
        var retracted = await ana.RetractAsync(2);
        var items = await Participant.ReadAllAsync(ben);

        // Assert
        Assert.True(corrected.IsSuccess, corrected.ToString());
        Assert.Equal((1L, 3L), (corrected.Value!.TargetSequence, corrected.Value.ReplacementSequence!.Value));
        Assert.True(retracted.IsSuccess, retracted.ToString());
        Assert.Equal(3, items.Count);
        Assert.Equal(("Teh answer to 5.1", 3L, (long?)null), (items[0].Text, items[0].CorrectedBy!.Value, items[0].RetractedAt is null ? null : 0L));
        Assert.Equal(retracted.Value!.StoredAt, items[1].RetractedAt);
        Assert.Null(items[1].CorrectedBy);
        Assert.Equal(("The answer to 5.1", 1L), (items[2].Text, items[2].Corrects!.Value));
        Assert.All(items, i => Assert.Equal(ArchiveStatus.Verified, i.Archive));
        Assert.DoesNotContain(ben.Alerts, a => a.Kind is ChannelAlertKind.AmendmentRejected or ChannelAlertKind.ArchiveMismatch or ChannelAlertKind.ArchiveUnverified);
    }

    [Fact]
    public async Task CorrectAndRetract_AnotherMembersItem_NotAuthorAndNothingSent()
    {
        // Arrange
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        Assert.True((await ana.SendAsync("Ana's item")).IsSuccess);
        var item = (await Participant.ReadAllAsync(ben))[0];

        // Act
        var correction = await ben.CorrectAsync(item, "Ben rewrites Ana");
        var retraction = await ben.RetractAsync(item);
        var items = await Participant.ReadAllAsync(ben);

        // Assert
        Assert.Equal(SendErrorKind.NotAuthor, correction.Error.Kind);
        Assert.Equal(SendErrorKind.NotAuthor, retraction.Error.Kind);
        Assert.Single(items);
    }

    [Fact]
    public async Task Read_StatementServedForAnotherAuthorsItem_IgnoredWithAlert()
    {
        // Arrange: Ana retracts her item; the server then serves the statement as if it named Ben's item.
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var ben = await _f.Ben.OpenAsync(_f.ReviewId);
        var cai = await _f.Cai.OpenAsync(_f.ReviewId);
        Assert.True((await ana.SendAsync("Ana's item")).IsSuccess);
        Assert.True((await ben.SendAsync("Ben's item")).IsSuccess);
        Assert.True((await ana.RetractAsync(1)).IsSuccess);
        _f.Server.Script.TamperAmendments = e => e with { TargetSequence = 2 };

        // Act
        var items = await Participant.ReadAllAsync(cai);

        // Assert: the statement still verifies by inclusion, but Ben's item is not its author's: nothing is marked.
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Null(i.RetractedAt));
        Assert.Contains(cai.Alerts, a => a.Kind == ChannelAlertKind.AmendmentRejected);
        Assert.DoesNotContain(cai.Alerts, a => a.Kind == ChannelAlertKind.ArchiveMismatch);
    }

    [Fact]
    public async Task Read_StatementWithABadSignature_NotApplied()
    {
        // Arrange: the served statement's signature is changed (its archive entry no longer matches either).
        var ana = await _f.Ana.OpenAsync(_f.ReviewId);
        var cai = await _f.Cai.OpenAsync(_f.ReviewId);
        Assert.True((await ana.SendAsync("Ana's item")).IsSuccess);
        Assert.True((await ana.RetractAsync(1)).IsSuccess);
        _f.Server.Script.TamperAmendments = e =>
        {
            var statement = e.Statement.ToArray();
            statement[^1] ^= 0x01;
            return e with { Statement = statement };
        };

        // Act
        var read = await cai.ReadAsync();

        // Assert: never marked; the client reports the log's contradiction or the refused statement.
        Assert.True(!read.IsSuccess || read.Value!.All(i => i.RetractedAt is null));
        Assert.Contains(cai.Alerts, a => a.Kind is ChannelAlertKind.AmendmentRejected or ChannelAlertKind.ArchiveMismatch);
    }
}
